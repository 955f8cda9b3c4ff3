"""Each request has an id, returned in a header and carried by every log line it writes."""

import io
import json
import logging

import pytest

from core.requestlog import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


def test_a_requests_log_lines_carry_the_id_its_response_returns(client, json_log):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    request_id = response["X-Request-ID"]
    (line,) = [json.loads(text) for text in json_log.getvalue().splitlines()]
    assert line["request_id"] == request_id
    assert line["level"] == "WARNING" and "Not Found" in line["message"]


def test_an_id_from_the_proxy_is_kept_and_a_hostile_one_replaced(client):
    kept = client.get("/healthz", HTTP_X_REQUEST_ID="lb-1234abcd")
    assert kept["X-Request-ID"] == "lb-1234abcd"
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID='"><script>\r\nSet-Cookie: x')
    assert replaced["X-Request-ID"] != '"><script>\r\nSet-Cookie: x'
    assert len(replaced["X-Request-ID"]) == 32


def test_every_request_gets_its_own_id(client):
    assert client.get("/healthz")["X-Request-ID"] != client.get("/healthz")["X-Request-ID"]


def test_production_logs_are_json_lines_on_stderr():
    from tests.test_settings import example_production_env, run_manage

    result = run_manage(
        "shell",
        "-c",
        "import logging; logging.getLogger('kindness').warning('hello \"there\"')",
        env=example_production_env(),
    )
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line == {**line, "level": "WARNING", "logger": "kindness", "message": 'hello "there"'}
    assert line["request_id"] == "-"


def test_the_task_frameworks_routine_lines_about_page_drawings_are_left_out():
    """As settings.LOGGING configures the task framework's logger: a drawing's RUNNING and
    SUCCESSFUL lines are left out, an email's are kept, and a drawing that fails is logged."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("django_tasks")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        logger.info("Task id=1 path=core.redraw.draw_page state=RUNNING")
        logger.info("Task id=1 path=core.redraw.draw_page state=SUCCESSFUL")
        logger.info("Task id=2 path=core.emails.deliver_email state=SUCCESSFUL")
        logger.error("Task id=3 path=core.redraw.draw_page state=FAILED")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert stream.getvalue().splitlines() == [
        "Task id=2 path=core.emails.deliver_email state=SUCCESSFUL",
        "Task id=3 path=core.redraw.draw_page state=FAILED",
    ]
