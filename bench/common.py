"""What the benchmarks share: a database of their own, this project's Python, Django set up."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def bench_url(name: str) -> str:
    """Return DATABASE_URL with the database `name` in place of the one it names."""
    return urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}"))


def bench_database(name: str, *, fresh: bool) -> None:
    """Create the database `name` (dropped first when `fresh`) owned by DATABASE_URL's user."""
    import psycopg2

    parts = urlsplit(os.environ["DATABASE_URL"])
    # Connected to the maintenance database: the one DATABASE_URL names may not exist yet.
    connection = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    connection.autocommit = True
    with connection.cursor() as cursor:
        if fresh:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}" OWNER "{parts.username}"')
    connection.close()


def run_python(arguments: list[str], env: dict) -> str:
    """Run this project's Python with `arguments` in a fresh process; return what it printed."""
    result = subprocess.run(  # noqa: S603 - our own interpreter, script and arguments
        [sys.executable, *arguments], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout


def django_setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
