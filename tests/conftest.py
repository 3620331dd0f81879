"""Shared fixtures: the bundled framework, and people who may or may not see things."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from standards.framework_file import checks_file_for
from standards.services import bundled_framework_files, framework_load_file
from tests.browsing import CHROMIUM, CHROMIUM_FLAGS
from tests.constants import PASSWORD

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
FRAMEWORK_SEED = SEEDS / "002_5daa5ff045d739a1.txt"
BUNDLED_FRAMEWORK = ROOT / "standards" / "frameworks" / "hmip-adult-2018.yaml"


@pytest.fixture
def framework(db):
    """Return the bundled framework version, loaded."""
    (path,) = bundled_framework_files()
    return framework_load_file(path=path).version


@pytest.fixture
def inspection(framework):
    from tests.factories import InspectionFactory

    return InspectionFactory(framework_version=framework)


def member(inspection, username, role):
    from tests.factories import MembershipFactory, UserFactory

    return MembershipFactory(
        inspection=inspection, user=UserFactory(username=username), role=role
    ).user


@pytest.fixture
def inspector(inspection):
    """An inspector of `inspection`; the `case` fixture is allocated to them."""
    return member(inspection, "inspector1", "inspector")


@pytest.fixture
def other_inspector(inspection):
    """An inspector of the same inspection, not allocated the case."""
    return member(inspection, "inspector2", "inspector")


@pytest.fixture
def lead(inspection):
    return member(inspection, "lead", "lead")


@pytest.fixture
def writer(inspection):
    return member(inspection, "writer", "writer")


@pytest.fixture
def outsider(framework):
    """An inspector of another inspection."""
    from tests.factories import InspectionFactory

    return member(InspectionFactory(framework_version=framework), "outsider", "lead")


@pytest.fixture
def case(inspection, inspector):
    from tests.factories import CaseFactory

    return CaseFactory(inspection=inspection, allocated_to=inspector)


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser("boss", password=PASSWORD)


@pytest.fixture
def signed_in(client, inspector):
    client.force_login(inspector)
    return client


@pytest.fixture
def framework_copy(tmp_path):
    """Return a writable copy of the bundled framework file, its checks file beside it."""
    copy = tmp_path / BUNDLED_FRAMEWORK.name
    shutil.copy(BUNDLED_FRAMEWORK, copy)
    shutil.copy(checks_file_for(BUNDLED_FRAMEWORK), checks_file_for(copy))
    return copy


@pytest.fixture
def celery_worker_process():
    """Start a real Celery worker against the test Redis and the test's database; yield its name.

    Give the test committed data (django_db(transaction=True)) for the worker to see it.
    """
    import os
    import subprocess
    import sys
    import time
    import uuid

    name = f"test-{uuid.uuid4().hex[:8]}@localhost"
    env = {**os.environ, "CELERY_TASK_ALWAYS_EAGER": "0"}
    from django.db import connection

    database = connection.settings_dict  # the test database when the test has one
    env["DATABASE_URL"] = (
        f"postgres://{database['USER']}:{database['PASSWORD']}@"
        f"{database['HOST']}:{database['PORT']}/{database['NAME']}"
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-n", name,
         "--pool", "solo", "--loglevel", "INFO"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if ping_worker(name):
                break
            assert worker.poll() is None, worker.stdout.read()
            time.sleep(0.5)
        else:
            raise AssertionError(f"worker {name} did not answer within 60 s")
        yield name
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def ping_worker(name: str) -> bool:
    """Return whether Celery worker `name` answers a ping over the broker."""
    from config.celery import app

    replies = app.control.inspect(destination=[name], timeout=1).ping() or {}
    return replies.get(name) == {"ok": "pong"}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: apt-get install chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh process with exactly the settings variables given."""
    base = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


SETTINGS_VARIABLES = {
    "DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "CELERY_TASK_ALWAYS_EAGER",
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "LOG_LEVEL", "SQLITE_PATH", "LOCAL_REDIS_PORT",
    "PGPORT", "PGHOST", "PGUSER", "PGPASSWORD", "DJANGO_ALLOW_ASYNC_UNSAFE",
}  # fmt: skip


@pytest.fixture(autouse=True, scope="session")
def _static_files_looked_up_per_request():
    """Spare each test client WhiteNoise's index of every collected file.

    Django's test client builds the middleware chain afresh for each client, and
    WhiteNoise, with DEBUG off as pytest-django runs, stats all the collected static
    files (over a thousand) each time it is built: about 45 ms a client, minutes over
    the suite. Looking files up as they are asked for serves the same files with the
    same headers. Servers started as subprocesses read the real settings.
    """
    from django.conf import settings

    settings.WHITENOISE_AUTOREFRESH = True
