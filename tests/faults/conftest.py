"""Faults: a private Postgres, Redis, web server and workers that the tests stop and kill.

Never the machine's shared Postgres (5432) or Redis (6379): others run tests on them.
The application runs as on a server, in processes of its own (gunicorn, Celery),
so the tests drive it over HTTP and read the private database with psycopg2.
"""

import glob
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import psycopg2
import pytest

from tests.conftest import ROOT, SETTINGS_VARIABLES

DEMO_PASSWORD = "faults-demo-password"
SEED_DATABASE, APP_DATABASE = "faults_seed", "faults"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(check, *, timeout: float, every: float = 0.2, what: str = "it"):
    """Return check()'s first truthy value, polling; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"waited {timeout:.0f} s for {what}")


def postgres_bin() -> Path | None:
    """Return the newest installed Postgres server's bin directory, if any."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    return Path(found[-1]).parent if found else None


class PostgresCluster:
    """A throwaway cluster in its own directory and port: stop it, start it, query it."""

    def __init__(self, bin_dir: Path, directory: Path):
        self.bin, self.directory, self.port = bin_dir, directory, free_port()
        self.data = directory / "data"

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:  # the server refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def create(self) -> None:
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres",
                  "-E", "UTF8", "--no-sync")  # fmt: skip
        self.start()

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c full_page_writes=off")  # fmt: skip
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.directory / "log"),
                  "-o", options, "-w", "start")  # fmt: skip

    def stop(self) -> None:
        """Stop as an operator does: connections are cut, transactions rolled back."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def is_running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def url(self, database: str = APP_DATABASE) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = APP_DATABASE):
        connection = psycopg2.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=database, connect_timeout=5
        )
        connection.autocommit = True
        return connection

    def sql(self, query: str, params=(), database: str = APP_DATABASE) -> list[tuple]:
        connection = self.connect(database)
        try:
            with connection.cursor() as cursor:
                cursor.execute(query, params)
                return cursor.fetchall() if cursor.description else []
        finally:
            connection.close()


def app_environment(**settings: str) -> dict[str, str]:
    """Return an environment for the application's processes with exactly these settings."""
    base = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    base.pop("BROKER_VISIBILITY_TIMEOUT", None)
    return {**base, "DJANGO_SETTINGS_MODULE": "config.settings", **settings}


def manage(*args: str, env: dict[str, str]) -> None:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=180)  # fmt: skip
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stderr[-3000:]}"


@pytest.fixture(scope="session")
def postgres():
    """A private Postgres cluster holding the demo inspection, as database faults_seed."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        pytest.skip("Postgres server binaries are missing (/usr/lib/postgresql/*/bin/initdb)")
    directory = Path(tempfile.mkdtemp(prefix="faults-postgres-"))  # in /tmp: postgres reaches it
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    cluster = PostgresCluster(bin_dir, directory)
    try:
        cluster.create()
        cluster.sql(f"CREATE DATABASE {SEED_DATABASE}", database="postgres")
        env = app_environment(
            DEBUG="1", DATABASE_URL=cluster.url(SEED_DATABASE), CELERY_TASK_ALWAYS_EAGER="1",
            DEMO_PASSWORD=DEMO_PASSWORD,
        )  # fmt: skip
        manage("migrate", "--no-input", "-v", "0", env=env)
        manage("load_framework", env=env)
        manage("seed_demo", env=env)  # 60 cases, 12 submitted: a draft report to build
        yield cluster
    finally:
        if cluster.is_running():
            cluster.stop()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def database(postgres):
    """A fresh copy of the seeded database for one test, Postgres running."""
    if not postgres.is_running():  # a test that failed while it was stopped
        postgres.start()
    postgres.sql(f"DROP DATABASE IF EXISTS {APP_DATABASE} WITH (FORCE)", database="postgres")
    postgres.sql(f"CREATE DATABASE {APP_DATABASE} TEMPLATE {SEED_DATABASE}", database="postgres")
    return postgres


class RedisServer:
    """A private Redis on its own port, stopped and started as the tests say."""

    def __init__(self, directory: Path):
        self.port, self.directory, self.process = free_port(), directory, None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(self.answers, timeout=10, every=0.05, what="Redis to start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False


@pytest.fixture
def redis(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is missing (apt-get install redis-server)")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGCONT)  # in case a test left it paused
        server.stop()


@dataclass
class Response:
    status: int
    text: str
    headers: dict[str, str]
    body: bytes = b""


@dataclass
class Browser:
    """A person's browser, reduced to cookies and requests: no JavaScript, no redirects."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict | list, **kwargs) -> Response:
        return self.request("POST", path, data=data, **kwargs)

    def request(self, method, path, *, data=None, htmx=False, timeout=60) -> Response:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if method == "POST":
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        if htmx:
            headers["HX-Request"] = "true"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return Response(
            response.status, body.decode(errors="replace"), dict(response.headers), body
        )

    def sign_in(self, username: str, password: str = DEMO_PASSWORD) -> None:
        self.get("/sign-in/")  # sets the CSRF cookie
        response = self.post("/sign-in/", {"username": username, "password": password})
        assert response.status == 302, f"{username} could not sign in: {response.status}"


class App:
    """The application's processes on the private Postgres and Redis, with their logs."""

    def __init__(self, postgres: PostgresCluster, redis: RedisServer | None, directory: Path):
        self.postgres, self.directory = postgres, directory
        self.media = directory / "media"
        self.env = app_environment(
            DEBUG="1", DATABASE_URL=postgres.url(), REDIS_URL=redis.url if redis else "",
            CELERY_TASK_ALWAYS_EAGER="0", MEDIA_ROOT=str(self.media), VAR_DIR=str(directory),
            LOG_LEVEL="INFO",
        )  # fmt: skip
        self.processes: list[subprocess.Popen] = []
        self.port = 0

    def _spawn(self, name: str, command: list[str], **env: str) -> subprocess.Popen:
        log = open(self.directory / f"{name}.log", "ab")  # noqa: SIM115 - the process keeps it
        process = subprocess.Popen(command, cwd=ROOT, env={**self.env, **env}, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
        self.processes.append(process)
        return process

    def start_web(self, **env: str) -> subprocess.Popen:
        """Start gunicorn (one process, so every request meets the same connections)."""
        self.port = free_port()
        server = self._spawn("web", [
            sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{self.port}",
            "--workers", "1", "--threads", "4", "--timeout", "120", "--log-level", "warning",
        ], **env)  # fmt: skip

        def up():
            assert server.poll() is None, f"gunicorn stopped:\n{self.logs()}"
            try:
                return Browser(self.port).get("/sign-in/", timeout=5).status == 200
            except OSError:
                return False

        wait_until(up, timeout=60, every=0.25, what="the web server")
        return server

    def start_worker(self, name: str = "worker", *, beat: bool = True, **env: str):
        """Start a Celery worker as in production (prefork), with one pool process."""
        return self._spawn(name, [
            sys.executable, "-m", "celery", "-A", "config", "worker", *(["-B"] if beat else []),
            "-n", f"{name}@%h", "--pool", "prefork", "--concurrency", "1", "--loglevel", "INFO",
        ], **env)  # fmt: skip

    def browser(self, username: str) -> Browser:
        browser = Browser(self.port)
        browser.sign_in(username)
        return browser

    def logs(self) -> str:
        return "\n".join(
            f"--- {log.name}\n" + log.read_text(errors="replace")[-4000:]
            for log in sorted(self.directory.glob("*.log"))
        )

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    # What the tests read back from Postgres.

    def case_of(self, username: str) -> str:
        """Return the public id of a case allocated to `username` that nobody has opened."""
        (row,) = self.postgres.sql(
            "SELECT c.public_id FROM inspection_case c "
            "JOIN auth_user u ON u.id = c.allocated_to_id "
            "LEFT JOIN casereview_review r ON r.case_id = c.id "
            "WHERE u.username = %s AND r.id IS NULL ORDER BY c.case_ref LIMIT 1", (username,)
        )  # fmt: skip
        return str(row[0])

    def inspection(self) -> str:
        (row,) = self.postgres.sql("SELECT public_id FROM inspection_inspection")
        return str(row[0])

    def answers(self, case: str) -> dict[str, tuple[str, int]]:
        """Return {question code: (value, version)} of the case's saved answers."""
        rows = self.postgres.sql(
            "SELECT q.code, a.value #>> '{}', a.version FROM casereview_answer a "
            "JOIN standards_question q ON q.id = a.question_id "
            "JOIN casereview_review r ON r.id = a.review_id "
            "JOIN inspection_case c ON c.id = r.case_id WHERE c.public_id = %s", (case,)
        )  # fmt: skip
        return {code: (value, version) for code, value, version in rows}

    def jobs(self) -> list[dict]:
        columns = ("public_id", "status", "attempts", "progress", "stage", "sent_at", "file")
        rows = self.postgres.sql(
            f"SELECT {', '.join(columns)} FROM reports_reportjob ORDER BY requested_at"  # noqa: S608
        )
        return [dict(zip(columns, (str(r[0]), *r[1:]), strict=True)) for r in rows]

    def report_files(self, job: dict) -> list[str]:
        """Return the names of the job's stored files (in Postgres, where reports are kept)."""
        rows = self.postgres.sql(
            "SELECT name FROM reports_storedfile WHERE name LIKE %s ORDER BY name",
            (f"reports/{job['public_id']}%",),
        )
        return [name for (name,) in rows]


@pytest.fixture
def make_app(database, tmp_path):
    """Return a function that sets up the application on the private services (not started)."""
    made: list[App] = []

    def make(redis: RedisServer | None) -> App:
        app = App(database, redis, tmp_path)
        made.append(app)
        return app

    yield make
    for app in made:
        app.stop_all()


def answer_fields(code: str, value: str, version: int = 0) -> dict[str, str]:
    """Return what the case form posts for one question's answer."""
    prefix = code.replace(".", "_")
    return {f"{prefix}-value": value, f"{prefix}-version": str(version)}


def children(pid: int) -> list[int]:
    """Return the process ids of `pid`'s children (Linux)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        found += [int(c) for c in re.findall(r"\d+", (task / "children").read_text())]
    return found
