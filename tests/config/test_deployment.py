"""docker-compose.yml cannot run here (no Docker engine): keep it consistent with the settings."""

import os
import re
import secrets
from importlib.util import find_spec
from urllib.parse import urlsplit

import pytest
import yaml

from tests.conftest import ROOT, run_manage

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SETTINGS_SOURCE = (ROOT / "config" / "settings.py").read_text(encoding="utf-8")


def substituted(value) -> str:
    """Return `value` as compose gives it: ${NAME:-default} the default, ${NAME:?...} empty."""
    return re.sub(r"\$\{\w+:(?:-([^}]*)|\?[^}]*)\}", lambda m: m.group(1) or "", str(value))


def database_role(service: str) -> str:
    return urlsplit(
        substituted(COMPOSE["services"][service]["environment"]["DATABASE_URL"])
    ).username


def settings_variables() -> set[str]:
    """Return the environment variables config/settings.py reads."""
    pattern = r'(?:env_\w+|os\.environ\.get|os\.environ\[)\(?\s*"([A-Z][A-Z0-9_]*)"'
    return set(re.findall(pattern, SETTINGS_SOURCE))


def test_web_and_worker_share_an_environment_the_settings_read():
    web, worker = COMPOSE["services"]["web"], COMPOSE["services"]["worker"]

    assert web["environment"] == worker["environment"]
    assert set(web["environment"]) <= settings_variables()
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"} <= set(
        web["environment"]
    )
    assert web["environment"]["DEBUG"] == "0"


def test_migrate_runs_with_the_same_settings_but_as_the_owner_of_the_tables():
    web, migrate = COMPOSE["services"]["web"], COMPOSE["services"]["migrate"]

    assert {k: v for k, v in migrate["environment"].items() if k != "DATABASE_URL"} == {
        k: v for k, v in web["environment"].items() if k != "DATABASE_URL"
    }
    assert (database_role("migrate"), database_role("web"), database_role("worker")) == (
        "case_assessment", "case_assessment_app", "case_assessment_app",
    )  # fmt: skip
    assert "DB_OWNER_PASSWORD" in migrate["environment"]["DATABASE_URL"]
    assert "DB_OWNER_PASSWORD" not in str(web) + str(COMPOSE["services"]["worker"])


def test_migrate_migrates_loads_the_framework_and_grants_the_app_role_before_web_and_worker():
    services = COMPOSE["services"]
    steps = [step.strip(' "\n') for step in services["migrate"]["command"].split("&&")]

    assert steps == [
        'sh -c "python manage.py migrate --no-input',
        "python manage.py load_framework",
        f"python manage.py grant_app_role {database_role('web')}",
    ]
    for name in ("web", "worker"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
        assert "migrate" not in str(services[name]["command"])
    assert services["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}


def test_the_database_container_makes_the_roles_the_services_connect_as():
    db = COMPOSE["services"]["db"]
    (script,) = [v.split(":")[0] for v in db["volumes"] if "docker-entrypoint-initdb.d" in v]
    text = (ROOT / script).read_text(encoding="utf-8")

    assert (ROOT / script).stat().st_mode & 0o111  # the image runs it
    assert f"-v owner={database_role('migrate')} -v app={database_role('web')}" in text
    assert {"DB_OWNER_PASSWORD", "DB_APP_PASSWORD"} <= set(db["environment"])
    assert db["environment"]["POSTGRES_USER"] not in {
        database_role("migrate"),
        database_role("web"),
    }
    assert "-h 127.0.0.1" in str(db["healthcheck"]["test"])  # not the setup server's socket


def test_the_services_point_at_each_other():
    services = COMPOSE["services"]
    env = services["web"]["environment"]

    assert set(services) == {"db", "redis", "migrate", "web", "worker"}
    assert "@db:5432/" + services["db"]["environment"]["POSTGRES_DB"] in env["DATABASE_URL"]
    assert env["REDIS_URL"].startswith("redis://redis:6379/")
    assert "gunicorn config.wsgi" in " ".join(services["web"]["command"])
    assert "load_framework" in services["migrate"]["command"]
    assert services["worker"]["command"][:3] == ["celery", "-A", "config"]
    assert find_spec("config.wsgi") and find_spec("config.celery")


@pytest.mark.slow
def test_the_compose_environment_passes_the_deploy_check():
    env = {
        name: substituted(value)
        for name, value in COMPOSE["services"]["web"]["environment"].items()
    }
    env.update(
        DATABASE_URL=os.environ["DATABASE_URL"],  # the compose host "db" is not resolvable here
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="inspections.example.org",
    )

    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **env)

    assert result.returncode == 0, result.stderr


def test_web_and_worker_share_no_disk_and_trust_only_the_proxy_on_the_host():
    import ipaddress

    services = COMPOSE["services"]
    env = services["web"]["environment"]
    (subnet,) = COMPOSE["networks"]["default"]["ipam"]["config"]
    trusted = re.fullmatch(r"\$\{TRUSTED_PROXIES:-([^}]*)\}", env["TRUSTED_PROXIES"]).group(1)

    # Report files are in Postgres: nothing that only one machine's disk holds.
    assert "volumes" not in services["web"] and "volumes" not in services["worker"]
    assert env["REPORT_STORAGE"] == "${REPORT_STORAGE:-database}"
    # The proxy on the Docker host connects from the network's gateway; nobody else reaches
    # the web server, so a forged X-Forwarded-For from elsewhere never arrives.
    assert ipaddress.ip_address(trusted) == ipaddress.ip_address(subnet["gateway"])
    assert ipaddress.ip_address(trusted) in ipaddress.ip_network(subnet["subnet"])
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]
