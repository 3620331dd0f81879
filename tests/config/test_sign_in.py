"""Sign-in protections: lockout, password rules, session rotation and limits, sign-out."""

import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from config.middleware import SIGNED_IN_AT
from tests.constants import PASSWORD


def sign_in(client, username, password, address="127.0.0.1", **headers):
    return client.post(reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=address, **headers)  # fmt: skip


def test_an_account_is_locked_at_the_fifth_failure_from_any_address(client, inspector):
    refused = [sign_in(client, "inspector1", "wrong", address="10.0.0.1") for _ in range(5)]
    assert [response.status_code for response in refused] == [200, 200, 200, 200, 429]

    locked = sign_in(client, "inspector1", PASSWORD, address="10.0.0.2")  # even from elsewhere

    assert locked.status_code == 429
    assert "This account is locked for now" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_colleague_at_the_same_address_signs_in_while_one_account_is_locked(
    client, inspector, other_inspector
):
    for _ in range(6):
        sign_in(client, "inspector1", "wrong", address="10.0.0.9")
    assert sign_in(client, "inspector1", PASSWORD, address="10.0.0.9").status_code == 429

    colleague = sign_in(client, "inspector2", PASSWORD, address="10.0.0.9")

    assert colleague.status_code == 302
    assert client.session["_auth_user_id"] == str(other_inspector.pk)


def test_failures_during_a_lockout_do_not_extend_it(client, inspector, settings):
    for _ in range(5):
        sign_in(client, "inspector1", "wrong", address="10.0.0.1")
    attempt = AccessAttempt.objects.get(username="inspector1")
    locked_at = attempt.attempt_time

    sign_in(client, "inspector1", "wrong", address="10.0.0.1")

    attempt.refresh_from_db()
    assert attempt.attempt_time == locked_at


def test_a_flood_of_failures_from_one_address_is_throttled(client, inspector, settings):
    settings.SIGN_IN_ADDRESS_LIMIT = 12
    for number in range(12):  # a few guesses at each of several accounts: none is locked
        sign_in(client, f"guess{number % 4}", "wrong password", address="10.0.0.9")

    throttled = sign_in(client, "inspector1", PASSWORD, address="10.0.0.9")

    assert throttled.status_code == 429 and throttled["Retry-After"] == "900"
    assert "Too many failed sign-ins from your network" in throttled.content.decode()
    assert "_auth_user_id" not in client.session
    assert sign_in(client, "inspector1", PASSWORD, address="10.0.0.10").status_code == 302


def test_an_address_is_not_throttled_below_the_limit(client, inspector, settings):
    settings.SIGN_IN_ADDRESS_LIMIT = 12
    for number in range(11):
        sign_in(client, f"guess{number % 4}", "wrong password", address="10.0.0.9")

    assert sign_in(client, "inspector1", PASSWORD, address="10.0.0.9").status_code == 302


def test_throttling_counts_the_real_address_behind_a_trusted_proxy(client, inspector, settings):
    settings.SIGN_IN_ADDRESS_LIMIT, settings.TRUSTED_PROXIES = 3, ["192.0.2.10"]
    for _ in range(3):
        sign_in(client, "guess", "wrong", address="192.0.2.10", HTTP_X_FORWARDED_FOR="203.0.113.7")

    # The flooding client is throttled; a colleague arriving through the same proxy is not.
    refused = sign_in(client, "inspector1", PASSWORD, address="192.0.2.10",
                      HTTP_X_FORWARDED_FOR="203.0.113.7")  # fmt: skip
    allowed = sign_in(client, "inspector1", PASSWORD, address="192.0.2.10",
                      HTTP_X_FORWARDED_FOR="203.0.113.8")  # fmt: skip

    assert (refused.status_code, allowed.status_code) == (429, 302)


def test_passwords_need_twelve_characters_and_not_a_common_one():
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Sh0rt-pass")
    with pytest.raises(ValidationError, match="too common"):
        validate_password("password1234")
    validate_password("correct-horse-battery-staple")


def test_signing_in_gives_a_new_session_id(client, inspector):
    session = client.session
    session["before"] = "sign-in"
    session.save()
    before = session.session_key

    sign_in(client, "inspector1", PASSWORD)

    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


def test_signing_out_ends_the_session_on_the_server(client, inspector):
    sign_in(client, "inspector1", PASSWORD)
    key = client.session.session_key

    client.post(reverse("logout"))

    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("home")).status_code == 302


def test_a_session_ends_a_fixed_time_after_sign_in_however_active(client, inspector, settings):
    sign_in(client, "inspector1", PASSWORD)
    session = client.session
    session[SIGNED_IN_AT] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()

    response = client.get(reverse("home"))

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_sessions_end_after_thirty_idle_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST


def test_pages_carry_the_security_headers(client, case, inspector):
    client.force_login(inspector)

    for url in (reverse("home"), reverse("casereview:page", args=[case.public_id, "A1"])):
        response = client.get(url)
        assert response["Cache-Control"] == "no-store", url
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy
        assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
        assert response["X-Frame-Options"] == "DENY"


def test_a_deactivated_account_is_told_so_and_its_right_password_never_locks_it(client, inspector):
    inspector.is_active = False
    inspector.save()
    refused = [sign_in(client, "inspector1", PASSWORD).content.decode() for _ in range(6)]

    assert all("This account is inactive" in page for page in refused)
    failed = AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN_FAILED, user=inspector)
    assert [e.detail for e in failed] == [{"reason": "inactive"}] * 6
    inspector.is_active = True
    inspector.save()
    assert sign_in(client, "inspector1", PASSWORD).status_code == 302  # not locked meanwhile


def test_a_deactivated_account_with_a_wrong_password_is_not_told_it_exists(client, inspector):
    inspector.is_active = False
    inspector.save()

    page = sign_in(client, "inspector1", "wrong").content.decode()

    assert "Enter a correct username and password" in page and "inactive" not in page
