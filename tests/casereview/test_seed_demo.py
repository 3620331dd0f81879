"""seed_demo: a realistic demo inspection, made once, never with DEBUG off."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from casereview.models import Review
from inspection.models import Case, Inspection


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_settings(settings, framework, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("DEMO_PASSWORD", "a-demo-password-for-tests")
    return settings


def test_it_creates_a_realistic_demo_inspection(demo_settings):
    output = seed()

    assert "Durham demo inspection: created" in output
    cases = Case.objects.filter(inspection__slug="demo-durham")
    share = {
        "crc": cases.filter(provider="crc").count() / cases.count(),
        "female": cases.filter(gender="female").count() / cases.count(),
        "post_custody": cases.filter(supervision="post_custody").count() / cases.count(),
        "high_rosh": cases.filter(rosh__in=["high", "very_high"]).count() / cases.count(),
    }
    assert cases.count() == 60
    assert share == pytest.approx(
        {"crc": 0.63, "female": 0.15, "post_custody": 0.47, "high_rosh": 0.17}, abs=0.02
    )
    inspectors = set(cases.values_list("allocated_to__username", flat=True))
    assert inspectors == {"inspector1", "inspector2"}
    statuses = list(Review.objects.values_list("status", "started_at"))
    assert sum(1 for s, _ in statuses if s == "submitted") == 12
    assert sum(1 for s, _ in statuses if s == "in_progress") == 16
    assert cases.filter(review__isnull=True).count() == 32  # not started
    for username in ("admin", "lead", "inspector1", "inspector2", "writer"):
        user = get_user_model().objects.get(username=username)
        assert user.check_password("a-demo-password-for-tests")


def test_running_it_again_leaves_the_demo_as_it_is(demo_settings):
    seed()
    first = list(Case.objects.values_list("pk", flat=True))

    assert "already there, left as it is" in seed()
    assert list(Case.objects.values_list("pk", flat=True)) == first
    assert Inspection.objects.filter(slug="demo-durham").count() == 1


def test_it_refuses_to_run_with_debug_off(settings, framework):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="only with DEBUG on"):
        seed()
    assert not Inspection.objects.exists()


def test_it_prints_the_default_password_when_none_is_given(settings, framework, monkeypatch):
    settings.DEBUG = True
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)

    output = seed()

    assert "/ demo-inspection-2018 (set DEMO_PASSWORD to change it)" in output
    assert get_user_model().objects.get(username="lead").check_password("demo-inspection-2018")
