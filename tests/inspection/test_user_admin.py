"""People in the admin: nobody who holds a role or is named in case data is deleted; they are
deactivated, and a deactivated account cannot sign in."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from audit.models import AuditEvent
from casereview.answers.services import answer_save
from casereview.models import Answer
from casereview.workflow.services import review_start
from inspection.models import Membership
from tests.constants import PASSWORD
from tests.factories import UserFactory

User = get_user_model()


def delete_url(user):
    return reverse("admin:auth_user_delete", args=[user.pk])


def bulk_delete(client, users, **step):
    return client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "delete_selected", "_selected_action": [u.pk for u in users], **step},
    )


def test_a_team_member_cannot_be_deleted_and_the_page_says_to_deactivate(
    client, admin_user, inspector
):
    client.force_login(admin_user)

    page = client.get(delete_url(inspector))
    confirmed = client.post(delete_url(inspector), {"post": "yes"})

    for response in (page, confirmed):
        text = response.content.decode()
        assert response.status_code == 200
        assert "User “inspector1” cannot be deleted while they hold a role" in text
        assert "1 membership" in text
        assert "Deactivate the account instead" in text
    assert User.objects.filter(pk=inspector.pk).exists()
    assert Membership.objects.filter(user=inspector).exists()


def test_someone_who_wrote_case_data_cannot_be_deleted_after_leaving_the_team(
    client, admin_user, case, inspector, framework
):
    answer_save(review=review_start(case=case), question=framework.questions.get(code="A1.1"),
                by=inspector, expected_version=0, value="yes")  # fmt: skip
    Membership.objects.filter(user=inspector).delete()
    client.force_login(admin_user)

    response = client.post(delete_url(inspector), {"post": "yes"})

    text = response.content.decode()
    assert "cannot be deleted while they hold a role or are named in case data" in text
    assert "1 case" in text and "1 answer" in text  # allocated to them; their answer
    assert User.objects.filter(pk=inspector.pk).exists()
    assert Answer.objects.filter(updated_by=inspector).exists()


def test_team_members_cannot_be_deleted_with_the_bulk_action(
    client, admin_user, inspector, other_inspector
):
    client.force_login(admin_user)

    for step in ({}, {"post": "yes"}):
        response = bulk_delete(client, [inspector, other_inspector], **step)
        assert response.status_code == 200
        assert "The selected users cannot be deleted while they hold a role" in (
            response.content.decode()
        )

    assert User.objects.filter(pk__in=[inspector.pk, other_inspector.pk]).count() == 2
    assert Membership.objects.filter(user__in=[inspector, other_inspector]).count() == 2


def test_someone_with_no_role_may_be_deleted_and_the_delete_is_recorded(client, admin_user):
    stray = UserFactory(username="created-by-mistake")
    client.force_login(admin_user)

    response = client.post(delete_url(stray), {"post": "yes"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=stray.pk).exists()
    (event,) = AuditEvent.objects.filter(action=AuditEvent.Action.DELETED)
    assert (event.user, event.object_type, event.object_id) == (
        admin_user,
        "user",
        "created-by-mistake",
    )


def deactivate(client, users):
    return client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "deactivate", "_selected_action": [u.pk for u in users]},
        follow=True,
    )


def test_deactivating_people_keeps_their_roles_and_is_recorded(client, admin_user, inspector, lead):
    client.force_login(admin_user)

    response = deactivate(client, [inspector, lead])

    assert "2 users deactivated: they can no longer sign in." in response.content.decode()
    assert not User.objects.filter(pk__in=[inspector.pk, lead.pk], is_active=True).exists()
    assert Membership.objects.filter(user__in=[inspector, lead]).count() == 2
    changes = AuditEvent.objects.filter(action=AuditEvent.Action.ROLE_CHANGED).order_by("pk")
    assert sorted((e.object_id, e.user, tuple(e.detail.items())) for e in changes) == [
        ("inspector1", admin_user, (("to", {"is_active": False}), ("via", "admin"))),
        ("lead", admin_user, (("to", {"is_active": False}), ("via", "admin"))),
    ]


def test_an_admin_cannot_deactivate_themselves(client, admin_user):
    client.force_login(admin_user)

    response = deactivate(client, [admin_user])

    assert "You cannot deactivate yourself." in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_a_deactivated_person_cannot_sign_in_and_is_signed_out(client, admin_user, inspector):
    theirs = client.__class__()
    theirs.force_login(inspector)
    assert theirs.get(reverse("home")).status_code == 200
    client.force_login(admin_user)
    deactivate(client, [inspector])
    signed_in_before = AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN).count()

    signing_in = client.__class__().post(
        reverse("login"), {"username": "inspector1", "password": PASSWORD}
    )

    assert signing_in.status_code == 200  # the form again, with its error
    signed_in = AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN).count()
    assert signed_in == signed_in_before
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.SIGN_IN_FAILED, user=inspector
    ).exists()
    after = theirs.get(reverse("home"))
    assert after.status_code == 302 and after["Location"].startswith(reverse("login"))
