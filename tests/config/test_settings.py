"""Settings from the environment: loud on malformed values, falling back where nothing answers."""

import os
import secrets
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import database_config, env_bool, env_int, env_list, redis_url_checked
from tests.conftest import run_manage

pytestmark = pytest.mark.slow


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "inspections.example.org",
}


def test_booleans_take_the_usual_words_and_refuse_others(monkeypatch):
    monkeypatch.setenv("FLAG", "Yes")
    assert env_bool("FLAG", default=False) is True
    monkeypatch.setenv("FLAG", "off")
    assert env_bool("FLAG", default=True) is False
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG='maybe' is not a boolean"):
        env_bool("FLAG", default=False)


def test_numbers_and_lists_are_checked(monkeypatch):
    monkeypatch.setenv("COUNT", "ten")
    with pytest.raises(ImproperlyConfigured, match="COUNT='ten' is not a whole number"):
        env_int("COUNT", 1)
    monkeypatch.setenv("HOSTS", "a.example.org,,b.example.org")
    with pytest.raises(ImproperlyConfigured, match="HOSTS=.* has an empty item"):
        env_list("HOSTS", [])
    monkeypatch.setenv("HOSTS", "a.example.org, b.example.org")
    assert env_list("HOSTS", []) == ["a.example.org", "b.example.org"]


def test_malformed_urls_are_refused_without_showing_the_password():
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL is malformed") as raised:
        database_config("user:hunter2@localhost/db")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL is malformed"):
        database_config("mongo://user:hunter2@localhost/db")
    with pytest.raises(ImproperlyConfigured, match="names no database"):
        database_config("postgres://user:hunter2@localhost")
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL") as redis_raised:
        redis_url_checked("http://:hunter2@localhost:6379")
    assert "hunter2" not in str(raised.value) + str(redis_raised.value)
    assert database_config("postgres://u:p@db:5432/cases")["NAME"] == "cases"


def test_production_settings_pass_the_deploy_check():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DATABASE_URL=os.environ["DATABASE_URL"], REDIS_URL=os.environ["REDIS_URL"], **PRODUCTION,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("DATABASE_URL", "DATABASE_URL must be set when DEBUG is off"),
        ("REDIS_URL", "REDIS_URL must be set when DEBUG is off"),
    ],
)
def test_with_debug_off_a_missing_service_url_stops_the_process_naming_it(missing, message):
    # Postgres and Redis both answer locally: DEBUG off must not fall back on them, nor on
    # SQLite or in-process tasks.
    env = {"DATABASE_URL": os.environ["DATABASE_URL"], "REDIS_URL": os.environ["REDIS_URL"]}
    del env[missing]

    result = run_manage("check", **env, **PRODUCTION)

    assert result.returncode != 0
    assert message in result.stderr


def test_with_debug_off_in_process_tasks_are_refused():
    result = run_manage(
        "check", DATABASE_URL=os.environ["DATABASE_URL"], REDIS_URL=os.environ["REDIS_URL"],
        CELERY_TASK_ALWAYS_EAGER="1", **PRODUCTION,
    )  # fmt: skip

    assert result.returncode != 0
    assert "CELERY_TASK_ALWAYS_EAGER is for the demo and tests only" in result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "0", "ALLOWED_HOSTS": "x.example.org"}, "SECRET_KEY must be set"),
        ({"DEBUG": "0", "SECRET_KEY": "k" * 60}, "ALLOWED_HOSTS must be set"),
        ({"DEBUG": "perhaps"}, "DEBUG='perhaps' is not a boolean"),
        ({"DEBUG": "1", "DATABASE_URL": "nonsense"}, "DATABASE_URL is malformed"),
        (
            {"DEBUG": "1", "REDIS_URL": "amqp://localhost"},
            "REDIS_URL='amqp://localhost' is malformed",
        ),
        ({"DEBUG": "1", "SECURE_HSTS_SECONDS": "-1"}, "SECURE_HSTS_SECONDS=-1 is below"),
        ({"DEBUG": "1", "LOG_LEVEL": "loud"}, "LOG_LEVEL='loud' must be one of"),
    ],
)
def test_malformed_settings_stop_the_process_with_the_reason(env, message):
    result = run_manage("check", **env)

    assert result.returncode != 0
    assert message in result.stderr


def test_with_no_postgres_and_no_redis_it_falls_back_to_sqlite_and_in_process_tasks(tmp_path):
    sqlite = tmp_path / "fallback.sqlite3"
    result = run_manage(
        "shell", "-v", "0", "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL)",
        DEBUG="1", PGPORT="1", LOCAL_REDIS_PORT="1", SQLITE_PATH=str(sqlite),
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "memory://"]


def test_without_database_url_it_uses_a_local_postgres_when_one_answers(tmp_path):
    # libpq's own variables say who to connect as; the database is the local default.
    role = urlsplit(os.environ["DATABASE_URL"])
    result = run_manage(
        "shell", "-v", "0", "-c",
        "from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(d['ENGINE'], d['NAME'], s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL)",
        DEBUG="1", SQLITE_PATH=str(tmp_path / "unused.sqlite3"),
        PGHOST=role.hostname, PGUSER=role.username, PGPASSWORD=role.password,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql", "case_assessment", "False", "redis://127.0.0.1:6379/0",
    ]  # fmt: skip
    assert not (tmp_path / "unused.sqlite3").exists()
