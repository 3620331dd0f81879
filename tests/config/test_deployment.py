"""docker-compose.yml cannot run here (no Docker engine): keep it consistent with the settings."""

import os
import re
import secrets
from importlib.util import find_spec

import pytest
import yaml

from tests.conftest import ROOT, run_manage

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SETTINGS_SOURCE = (ROOT / "config" / "settings.py").read_text(encoding="utf-8")


def settings_variables() -> set[str]:
    """Return the environment variables config/settings.py reads."""
    pattern = r'(?:env_\w+|os\.environ\.get|os\.environ\[)\(?\s*"([A-Z_]+)"'
    return set(re.findall(pattern, SETTINGS_SOURCE))


def test_web_and_worker_share_an_environment_the_settings_read():
    web, worker = COMPOSE["services"]["web"], COMPOSE["services"]["worker"]

    assert web["environment"] == worker["environment"]
    assert set(web["environment"]) <= settings_variables()
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"} <= set(
        web["environment"]
    )
    assert web["environment"]["DEBUG"] == "0"


def test_the_services_point_at_each_other():
    services = COMPOSE["services"]
    env = services["web"]["environment"]

    assert set(services) == {"db", "redis", "web", "worker"}
    assert "@db:5432/" + services["db"]["environment"]["POSTGRES_DB"] in env["DATABASE_URL"]
    assert env["REDIS_URL"].startswith("redis://redis:6379/")
    assert "gunicorn config.wsgi" in services["web"]["command"]
    assert "load_framework" in services["web"]["command"]
    assert services["worker"]["command"][:3] == ["celery", "-A", "config"]
    assert find_spec("config.wsgi") and find_spec("config.celery")


@pytest.mark.slow
def test_the_compose_environment_passes_the_deploy_check():
    # Compose's own substitution: ${NAME:-default} gives the default, ${NAME:?...} must be set.
    env = {
        name: re.sub(r"\$\{\w+:(?:-([^}]*)|\?[^}]*)\}", lambda m: m.group(1) or "", str(value))
        for name, value in COMPOSE["services"]["web"]["environment"].items()
    }
    env.update(
        DATABASE_URL=os.environ["DATABASE_URL"],  # the compose host "db" is not resolvable here
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="inspections.example.org",
    )

    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **env)

    assert result.returncode == 0, result.stderr
