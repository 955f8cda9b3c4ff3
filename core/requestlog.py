"""Every request has an id: returned in the X-Request-ID header and carried by every log line
written while it is served, so one request's lines can be found together. Logs are JSON
lines on stderr in production, and readable text in development."""

import json
import logging
import re
import uuid
from contextvars import ContextVar

from django.core.signals import request_finished, request_started

_request_id = ContextVar("request_id", default="-")
# An id from the proxy in front is kept if it looks like one; anything else is replaced.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
HEADER = "X-Request-ID"


def _begin(sender, environ=None, **kwargs):
    """Set when the request starts, before any middleware, and kept until the response is
    closed: Django's own "Not Found" and error lines come after the middleware has finished."""
    incoming = (environ or {}).get("HTTP_X_REQUEST_ID", "")
    _request_id.set(incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex)


def _end(sender, **kwargs):
    _request_id.set("-")


request_started.connect(_begin, dispatch_uid="core.requestlog.begin")
request_finished.connect(_end, dispatch_uid="core.requestlog.end")


class RequestIdMiddleware:
    """Puts the id on the request and the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = _request_id.get()
        if request.id == "-":  # a request that did not come through a handler (tests)
            request.id = uuid.uuid4().hex
            _request_id.set(request.id)
        response = self.get_response(request)
        response[HEADER] = request.id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record):
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


class RoutineTasksFilter(logging.Filter):
    """Leaves out the task framework's lines below WARNING about the tasks in `paths`: a
    page drawn again after an addition (core.redraw) is two lines each, several a second in a
    busy place, and would bury the lines about email. A failure is still logged."""

    def __init__(self, paths=()):
        super().__init__()
        self.markers = tuple(f"path={path} " for path in paths)

    def filter(self, record):
        if record.levelno >= logging.WARNING:
            return True
        message = record.getMessage()
        return not any(marker in message for marker in self.markers)
