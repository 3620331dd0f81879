"""Read settings from the environment, failing loudly on malformed values."""

import ipaddress
import os
import socket
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    """Return the boolean in variable `name`, refusing anything but the usual words."""
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={os.environ[name]!r} is not a boolean: use one of "
        f"{', '.join(sorted(TRUE_WORDS | FALSE_WORDS))}."
    )


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    """Return the whole number in variable `name`, at least `minimum`."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={value} is below its minimum of {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    """Return the comma-separated list in variable `name`, refusing empty items."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    items = [item.strip() for item in raw.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(f"{name}={raw!r} has an empty item: separate values by commas.")
    return items


def env_networks(name: str) -> list[str]:
    """Return the comma-separated IP addresses or CIDR ranges in variable `name`."""
    entries = env_list(name, [])
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {entry!r} is not an IP address or CIDR range (e.g. 10.0.0.5 or "
                "10.0.0.0/24)."
            ) from None
    return entries


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """Return the value of variable `name`, which must be one of `choices` (any case)."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if raw.upper() not in choices:
        raise ImproperlyConfigured(f"{name}={raw!r} must be one of {', '.join(choices)}.")
    return raw.upper()


def database_config(url: str) -> dict:
    """Return Django's DATABASES entry for `url`, or refuse it with the reason."""
    if "://" not in url:
        raise ImproperlyConfigured(
            f"DATABASE_URL is malformed: expected scheme://..., e.g. "
            f"postgres://user:password@host:5432/name (got {_redact(url)!r})."
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except (ValueError, KeyError) as error:
        raise ImproperlyConfigured(f"DATABASE_URL is malformed: {error}") from None
    if not config.get("ENGINE"):
        raise ImproperlyConfigured("DATABASE_URL names no database engine.")
    if "postgresql" in config["ENGINE"] and not config.get("NAME"):
        raise ImproperlyConfigured("DATABASE_URL names no database: add /name at the end.")
    return config


def local_postgres_reachable(url: str) -> bool:
    """Return whether a Postgres server answers at `url` (libpq's PG* variables apply)."""
    import psycopg2

    try:
        psycopg2.connect(url, connect_timeout=2).close()
    except psycopg2.Error:
        return False
    return True


def redis_url_checked(url: str) -> str:
    """Return `url` if it is a Redis URL Celery can use, else refuse it."""
    parts = urlsplit(url)
    if parts.scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(
            f"REDIS_URL={_redact(url)!r} is malformed: expected redis://host:6379/0."
        )
    if parts.scheme != "unix" and not parts.hostname:
        raise ImproperlyConfigured(f"REDIS_URL={_redact(url)!r} names no host.")
    try:
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        raise ImproperlyConfigured(f"REDIS_URL={_redact(url)!r} has a malformed port.") from None
    return url


def tcp_port_open(host: str, port: int, timeout: float = 0.3) -> bool:
    """Return whether something accepts TCP connections at host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _redact(url: str) -> str:
    """Return `url` without its password, for error messages."""
    if "://" not in url:
        return "<hidden: it may hold a password>" if "@" in url else url
    parts = urlsplit(url)
    if parts.password:
        return url.replace(parts.password, "***")
    return url
