"""The Celery app: a real worker on Redis takes the project's settings."""

import pytest
from django.conf import settings

from config.celery import app
from tests.conftest import ping_worker

pytestmark = pytest.mark.slow


def test_the_app_reads_its_broker_from_the_settings():
    assert app.conf.broker_url == settings.CELERY_BROKER_URL
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    assert app.conf.task_acks_late is True


def test_a_worker_starts_on_redis_and_answers(celery_worker_process):
    assert ping_worker(celery_worker_process)
    stats = app.control.inspect(destination=[celery_worker_process], timeout=2).stats()
    assert stats[celery_worker_process]["broker"]["transport"] == "redis"
