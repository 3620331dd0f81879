"""Frameworks in the Django admin: visible, read-only once published."""

from django.urls import reverse

from standards.models import FrameworkVersion


def test_an_admin_sees_the_framework_read_only(client, admin_user, framework):
    client.force_login(admin_user)
    url = reverse("admin:standards_frameworkversion_change", args=[framework.pk])

    response = client.get(url)

    assert response.status_code == 200
    assert b"hmip-adult-case-assessment" in response.content
    assert b'name="_save"' not in response.content
    assert b"Outstanding" in response.content


def test_a_published_version_cannot_be_changed_through_the_admin(client, admin_user, framework):
    client.force_login(admin_user)
    url = reverse("admin:standards_frameworkversion_change", args=[framework.pk])

    response = client.post(url, {"title": "Changed", "status": "draft"})

    assert response.status_code == 403
    framework.refresh_from_db()
    assert framework.title == "Case assessment framework for adult probation"
    assert framework.status == FrameworkVersion.Status.PUBLISHED


def test_frameworks_are_not_added_or_deleted_through_the_admin(client, admin_user, framework):
    client.force_login(admin_user)

    assert client.get(reverse("admin:standards_frameworkversion_add")).status_code == 403
    delete = reverse("admin:standards_frameworkversion_delete", args=[framework.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert FrameworkVersion.objects.filter(pk=framework.pk).exists()


def test_questions_are_listed_read_only(client, admin_user, framework):
    client.force_login(admin_user)

    response = client.get(reverse("admin:standards_question_changelist") + "?q=A3.13")

    assert response.status_code == 200
    assert b"Was this a MAPPA case" in response.content
