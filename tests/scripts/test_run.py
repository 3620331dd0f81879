"""The README's first command on a bare machine: SQLite and in-process tasks.

Runs scripts/run with no Postgres and no Redis reachable, so that the fallback
the demo relies on cannot rot, and looks at the result in a browser.
"""

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from tests.browsing import screenshot, sign_in
from tests.conftest import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def running_app(tmp_path):
    """Start scripts/run on SQLite; yield (base URL, everything it printed so far)."""
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "CELERY_TASK_ALWAYS_EAGER",
            "DEBUG",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }  # fmt: skip
    }
    env.update(
        LOCAL_SERVICES="no", PGPORT="1", LOCAL_REDIS_PORT="1", VAR_DIR=str(tmp_path), PORT=str(port)
    )
    process = subprocess.Popen(
        ["bash", "scripts/run"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    output = []
    try:
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 300
        while not any(url in line for line in output):
            line = process.stdout.readline()
            assert line or process.poll() is None, "".join(output)
            output.append(line)
            assert time.monotonic() < deadline, "".join(output)
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{url}sign-in/", timeout=2)  # noqa: S310 - our own server
                break
            except OSError:
                time.sleep(0.3)
        yield url.rstrip("/"), "".join(output)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_the_first_command_runs_the_app_on_sqlite_and_shows_the_framework(
    running_app, page, tmp_path
):
    base_url, printed = running_app

    assert "Database:  sqlite3" in printed
    assert "Tasks:     in-process (no Redis found)" in printed
    assert "hmip-adult-case-assessment version 2018.1" in printed
    assert (tmp_path / "db.sqlite3").exists()
    password = re.search(
        r"Demo logins: admin, lead, inspector1, inspector2, writer / (\S+)", printed
    ).group(1)

    sign_in(page, base_url, "admin", password)
    page.goto(f"{base_url}/frameworks/hmip-adult-case-assessment/2018.1/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Case assessment framework for adult probation"
    )
    assert page.locator("[id^='q-']").count() == 130
    screenshot(page, "run-script-framework")
    stylesheet = urllib.request.urlopen(f"{base_url}/static/app.css", timeout=5)  # noqa: S310
    assert stylesheet.status == 200
