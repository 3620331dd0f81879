"""Benchmark the case form: SQL queries per page, and latency under concurrent autosaving.

Run from the repository root with the test environment's database, e.g.

    . scripts/lib.sh && ensure_local_secrets && ensure_postgres_database
    .venv/bin/python bench/case_form.py --inspectors 10 --seconds 30

It creates its own inspection (deleted at the end), starts gunicorn with
production settings (DEBUG off) on a free local port, and has each simulated
inspector open case-form pages and autosave Yes/No answers on them, one after
another: with no pause between requests by default (harsher than people),
or --pause seconds before each answer. It prints the 50th and 95th
percentiles and the number of SQL queries of a form page with no answers and
with every answer given. Targets (issue 3): saves p95 < 100 ms, pages p95 < 300 ms,
queries not growing with the answers.
"""

import argparse
import http.client
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")
# The sessions made here must be readable by the server: one secret key for both.
os.environ["SECRET_KEY"] = os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50)

import django  # noqa: E402

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from casereview.workflow.services import review_start  # noqa: E402
from inspection.models import Inspection  # noqa: E402
from inspection.services import inspection_create, membership_set  # noqa: E402
from standards.services import bundled_framework_files, framework_load_file  # noqa: E402
from tests.casereview.helpers import complete  # noqa: E402
from tests.factories import CaseFactory, UserFactory  # noqa: E402

PAGES = ["A1", "A2", "A3", "P1", "P2", "P3", "D1", "D2", "D3", "R1", "R2", "R3"]
SKIP: set[str] = set()  # questions others depend on: not toggled
CSRF = secrets.token_hex(16)  # a 32-character CSRF secret, sent as cookie and header
VERSION = re.compile(r'name="(\w+)-version" value="(\d+)"')
YES_NO = re.compile(r'name="(\w+)-value"\s+class="govuk-radios__input"\s+id="[^"]+"\s+value="no"')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inspectors", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument(
        "--warmup", type=float, default=5,
        help="seconds of load before measuring (each worker's first requests load templates)",
    )  # fmt: skip
    parser.add_argument(
        "--pause", type=float, default=0.0,
        help="seconds each inspector waits before each answer (0: no pause at all)",
    )  # fmt: skip
    args = parser.parse_args()

    framework = framework_load_file(path=bundled_framework_files()[0]).version
    SKIP.update(condition_codes(framework))
    slug = f"bench-{secrets.token_hex(4)}"
    inspection = inspection_create(name="Benchmark", slug=slug, framework_version=framework)
    try:
        people = setup(inspection, args.inspectors)
        print_query_counts(inspection)
        run_load(people, args)
    finally:
        Inspection.objects.filter(slug=slug).delete()


def setup(inspection, count):
    """Return [(session cookie, [case public ids])] for `count` inspectors with 3 cases each."""
    people = []
    for number in range(count):
        user = UserFactory(username=f"bench-{inspection.slug}-{number}")
        membership_set(inspection=inspection, user=user, role="inspector")
        cases = CaseFactory.create_batch(3, inspection=inspection, allocated_to=user)
        for case in cases:
            review_start(case=case)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        people.append((session.session_key, [str(c.public_id) for c in cases]))
    return people


def print_query_counts(inspection):
    """Count the SQL queries of one form page before any answer and after every answer."""
    case = inspection.cases.first()
    client = Client()
    client.force_login(case.allocated_to)
    url = f"/cases/{case.public_id}/A3/"

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, HTTP_HOST="127.0.0.1").status_code == 200
        return len(captured.captured_queries)

    count()  # the first read of the framework is kept for the process
    empty = count()
    complete(case.review, case.allocated_to)
    full = count()
    answered = case.review.answers.count()
    print(f"queries per form page (A3): {empty} with no answers, {full} with {answered} answers")


def run_load(people, args):
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "0",  # production settings: Postgres and Redis must be named
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.workers), "--threads", "4", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        wait_for(port)
        saves, pages, failures = [], [], []
        measure_from = time.monotonic() + args.warmup
        deadline = measure_from + args.seconds
        threads = [
            threading.Thread(
                target=inspector,
                args=(port, person, (measure_from, deadline), saves, pages, failures, args.pause),
            )
            for person in people
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"{len(people)} inspectors for {args.seconds:.0f} s against gunicorn "
          f"({args.workers} workers x 4 threads), {args.pause} s before each answer, "
          f"after {args.warmup:.0f} s of warm-up")  # fmt: skip
    report("answer save", saves)
    report("form page", pages)
    print(f"failed requests: {len(failures)}" + (f" (first: {failures[0]})" if failures else ""))


def condition_codes(framework) -> set[str]:
    """Return the codes other questions depend on (toggling them opens and closes questions)."""
    found: set[str] = set()

    def walk(condition):
        if not condition:
            return
        for part in condition.get("all", []) + condition.get("any", []):
            walk(part)
        if "answer" in condition:
            found.add(condition["answer"])

    for question in framework.questions.select_related("key_question"):
        walk(question.applies_when)
        walk(question.key_question.applies_when)
    return found


def inspector(port, person, window, saves, pages, failures, pause):
    """Open form pages and autosave answers on them; record what falls in `window`."""
    measure_from, deadline = window

    def record(samples, started):
        if started >= measure_from:
            samples.append(time.monotonic() - started)

    session, cases = person
    headers = {
        "Cookie": f"sessionid={session}; csrftoken={CSRF}",
        "X-CSRFToken": CSRF,
        "HX-Request": "true",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    turn = 0
    while time.monotonic() < deadline:
        case, page = cases[turn % len(cases)], PAGES[turn % len(PAGES)]
        turn += 1
        started = time.monotonic()
        connection_.request("GET", f"/cases/{case}/{page}/", headers=headers)
        response = connection_.getresponse()
        body = response.read().decode()
        record(pages, started)
        if response.status != 200:
            failures.append(f"GET {page}: {response.status}")
            continue
        versions = dict(VERSION.findall(body))
        yes_no = [
            p for p in dict.fromkeys(YES_NO.findall(body))
            if p in versions and p.replace("_", ".") not in SKIP
        ]  # fmt: skip
        for prefix in yes_no[:6]:
            version = versions[prefix]
            if time.monotonic() >= deadline:
                break
            time.sleep(pause)
            code = prefix.replace("_", ".")
            value = "yes" if int(version) % 2 == 0 else "no"
            data = f"{prefix}-value={value}&{prefix}-version={version}"
            if prefix.endswith("S"):
                data += f"&{prefix}-reasons=Reasons&{prefix}-practice=&{prefix}-practice_text="
            started = time.monotonic()
            connection_.request(
                "POST", f"/cases/{case}/answers/{code}/", body=data, headers=headers
            )
            response = connection_.getresponse()
            reply = response.read().decode()
            record(saves, started)
            if response.status != 200 or "Saved at" not in reply:
                failures.append(f"POST {code}: {response.status} {reply[:120]!r}")


def report(name, samples):
    if not samples:
        print(f"{name}: no samples")
        return
    ordered = sorted(samples)
    p50 = statistics.median(ordered) * 1000
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000
    print(f"{name}: n={len(ordered)}, p50={p50:.1f} ms, p95={p95:.1f} ms, "
          f"max={ordered[-1] * 1000:.1f} ms")  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


if __name__ == "__main__":
    main()
