"""Shared fixtures: the bundled framework, and people who may or may not see things."""

import shutil
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from standards.services import bundled_framework_files, framework_load_file

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
FRAMEWORK_SEED = SEEDS / "002_5daa5ff045d739a1.txt"
BUNDLED_FRAMEWORK = ROOT / "standards" / "frameworks" / "hmip-adult-2018.yaml"
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def framework(db):
    """Return the bundled framework version, loaded."""
    (path,) = bundled_framework_files()
    return framework_load_file(path=path).version


@pytest.fixture
def inspector(db):
    return get_user_model().objects.create_user("inspector1", password=PASSWORD)


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser("boss", password=PASSWORD)


@pytest.fixture
def signed_in(client, inspector):
    client.force_login(inspector)
    return client


@pytest.fixture
def framework_copy(tmp_path):
    """Return a writable copy of the bundled framework file."""
    copy = tmp_path / BUNDLED_FRAMEWORK.name
    shutil.copy(BUNDLED_FRAMEWORK, copy)
    return copy
