"""The web's database role cannot rewrite the audit log; the application works as that role.

On a private Postgres cluster, set up as docker compose does: deploy/postgres-roles.sh
makes the owner and app roles, migrate runs as the owner, grant_app_role grants the
app role. Never the machine's shared Postgres, whose roles belong to everyone.
"""

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg2
import pytest
from psycopg2 import errors

from tests.conftest import ROOT
from tests.faults.conftest import PostgresCluster, app_environment, manage, postgres_bin

pytestmark = pytest.mark.slow
DATABASE, OWNER, APP = "case_assessment", "case_assessment", "case_assessment_app"
PASSWORDS = {OWNER: secrets.token_urlsafe(16), APP: secrets.token_urlsafe(16)}
DEMO_PASSWORD = "roles-demo-password"


@pytest.fixture(scope="module")
def cluster():
    """A private cluster where only the superuser `postgres` may skip the password."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        pytest.skip("Postgres server binaries are missing (/usr/lib/postgresql/*/bin/initdb)")
    directory = Path(tempfile.mkdtemp(prefix="roles-postgres-"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    cluster = PostgresCluster(bin_dir, directory)
    try:
        cluster.create()
        (cluster.data / "pg_hba.conf").write_text(
            "local all postgres trust\nhost all postgres 127.0.0.1/32 trust\n"
            "host all all 127.0.0.1/32 scram-sha-256\n"
        )
        cluster.stop()
        cluster.start()
        cluster.sql(f"CREATE DATABASE {DATABASE}", database="postgres")
        roles_script(cluster)
        yield cluster
    finally:
        if cluster.is_running():
            cluster.stop()
        shutil.rmtree(directory, ignore_errors=True)


def roles_script(cluster) -> None:
    """Run deploy/postgres-roles.sh as the Postgres image runs it on a new volume."""
    env = {
        "PATH": f"{cluster.bin}:{os.environ['PATH']}", "PGHOST": "127.0.0.1",
        "PGPORT": str(cluster.port), "POSTGRES_USER": "postgres", "POSTGRES_DB": DATABASE,
        "DB_OWNER_PASSWORD": PASSWORDS[OWNER], "DB_APP_PASSWORD": PASSWORDS[APP],
    }  # fmt: skip
    result = subprocess.run(["sh", str(ROOT / "deploy" / "postgres-roles.sh")], env=env,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr


def url(cluster, role: str) -> str:
    return f"postgres://{role}:{PASSWORDS[role]}@127.0.0.1:{cluster.port}/{DATABASE}"


def environment(cluster, role: str) -> dict[str, str]:
    return app_environment(DEBUG="1", DATABASE_URL=url(cluster, role),
                           CELERY_TASK_ALWAYS_EAGER="1", DEMO_PASSWORD=DEMO_PASSWORD)  # fmt: skip


def connect(cluster, role: str):
    connection = psycopg2.connect(host="127.0.0.1", port=cluster.port, dbname=DATABASE,
                                  user=role, password=PASSWORDS[role])  # fmt: skip
    connection.autocommit = True
    return connection


def grant(cluster, role: str = APP, *, as_role: str = OWNER) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "grant_app_role", role], cwd=ROOT,
        env=environment(cluster, as_role), capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.fixture(scope="module")
def migrated(cluster):
    """The database migrated as the owner, framework loaded, the app role granted (twice)."""
    owner = environment(cluster, OWNER)
    manage("migrate", "--no-input", "-v", "0", env=owner)
    manage("load_framework", env=owner)
    for _ in range(2):  # idempotent: the second run finds nothing to change
        result = grant(cluster)
        assert result.returncode == 0, result.stderr
    assert "only add to and read audit_auditevent" in result.stdout
    return cluster


def run(connection, statement: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


INSERT = (
    "INSERT INTO audit_auditevent (at, action, username, object_type, object_id, inspection_id,"
    " detail) VALUES (now(), 'sign_in', 'probe', '', '', '', '{}') RETURNING id"
)


def test_the_app_role_may_add_to_and_read_the_audit_log(migrated):
    app = connect(migrated, APP)

    [(inserted,)] = run(app, INSERT)

    assert (inserted,) in run(app, "SELECT id FROM audit_auditevent")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET username = 'rewritten'",
        "DELETE FROM audit_auditevent",
        "TRUNCATE audit_auditevent",
        "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update_or_delete",
        "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
        "DROP TABLE audit_auditevent",
        "CREATE TABLE audit_copy (id integer)",
    ],
)
def test_the_app_role_cannot_rewrite_or_get_rid_of_the_audit_log(migrated, statement):
    app = connect(migrated, APP)
    run(app, INSERT)
    before = run(app, "SELECT count(*), max(username) FROM audit_auditevent")

    with pytest.raises(errors.InsufficientPrivilege):
        run(app, statement)

    assert run(app, "SELECT count(*), max(username) FROM audit_auditevent") == before
    triggers = run(connect(migrated, OWNER), "SELECT tgenabled FROM pg_trigger WHERE tgname = "
                                              "'audit_event_no_update_or_delete'")  # fmt: skip
    assert triggers == [("O",)]  # still there, still enabled


def test_only_the_owner_may_truncate_the_audit_log(migrated):
    owner = connect(migrated, OWNER)
    owner.autocommit = False
    try:
        run(owner, "TRUNCATE audit_auditevent")  # possible, so the owner stays with migrate
    finally:
        owner.rollback()


def test_tables_a_later_migration_adds_are_granted_by_default(migrated):
    run(connect(migrated, OWNER), "CREATE TABLE later_migration (id serial PRIMARY KEY, x text)")
    app = connect(migrated, APP)

    run(app, "INSERT INTO later_migration (x) VALUES ('one')")
    run(app, "UPDATE later_migration SET x = 'two'")

    assert run(app, "SELECT x FROM later_migration") == [("two",)]
    with pytest.raises(errors.InsufficientPrivilege):
        run(app, "TRUNCATE later_migration")


@pytest.mark.parametrize(
    ("role", "as_role", "message"),
    [
        (APP, APP, "Run this as the role that owns the tables (case_assessment"),
        (OWNER, OWNER, "case_assessment owns the tables"),
        ("nobody_here", OWNER, "There is no database role nobody_here"),
    ],
)
def test_grant_app_role_refuses_what_would_not_protect_the_log(migrated, role, as_role, message):
    result = grant(migrated, role, as_role=as_role)

    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr


APP_SESSION = """
from django.test import Client
from inspection.models import Case

case = Case.objects.filter(allocated_to__username="inspector1", review__isnull=True).first()
browser = Client(HTTP_HOST="localhost")
signed_in = browser.post("/sign-in/", {"username": "inspector1", "password": "%s"})
page = browser.get(f"/cases/{case.public_id}/A1/")
saved = browser.post(f"/cases/{case.public_id}/answers/A1.1/",
                     {"A1_1-value": "yes", "A1_1-version": "0"}, HTTP_HX_REQUEST="true")
assert (signed_in.status_code, page.status_code, saved.status_code) == (302, 200, 200)
assert "Saved at" in saved.content.decode()
print(case.public_id)
"""


def test_the_application_works_as_the_app_role(migrated):
    app = environment(migrated, APP)
    manage("seed_demo", env=app)  # inserts people, an inspection, cases and reviews

    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", APP_SESSION % DEMO_PASSWORD], cwd=ROOT,
        env=app, capture_output=True, text=True, timeout=120,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr[-3000:]
    case = result.stdout.split()[-1]
    owner = connect(migrated, OWNER)
    answers = run(owner, "SELECT a.value #>> '{}', a.version FROM casereview_answer a "
                         "JOIN casereview_review r ON r.id = a.review_id JOIN inspection_case c "
                         "ON c.id = r.case_id WHERE c.public_id = %s", [case])  # fmt: skip
    assert answers == [("yes", 1)]
    events = run(owner, "SELECT action, object_id FROM audit_auditevent "
                        "WHERE username = 'inspector1' ORDER BY id")  # fmt: skip
    assert events == [("sign_in", ""), ("case_viewed", case)]
