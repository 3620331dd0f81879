"""The audit log: who signed in, looked at a case, exported, downloaded or changed a role."""

import io
import json

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import DatabaseError, transaction
from django.urls import reverse

from audit.models import AuditEvent
from casereview.models import Answer
from inspection.models import Membership
from inspection.services import membership_set
from reports.models import ReportJob
from tests.constants import PASSWORD
from tests.factories import CaseFactory, UserFactory

Action = AuditEvent.Action
CASE_TEXT = "Disclosed domestic abuse towards partner Zephyrine"


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def sign_in(client, username, password):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="10.1.2.3"
    )


# Sign-ins


def test_a_sign_in_is_recorded_with_the_person_and_address(client, inspector):
    sign_in(client, "inspector1", PASSWORD)

    (event,) = events(Action.SIGN_IN)
    assert (event.user, event.username, event.address) == (inspector, "inspector1", "10.1.2.3")


def test_a_failed_sign_in_names_the_account_tried(client, inspector):
    sign_in(client, "inspector1", "not the password")

    (event,) = events(Action.SIGN_IN_FAILED)
    assert (event.user, event.address) == (inspector, "10.1.2.3")
    assert not events(Action.SIGN_IN)


def test_a_failed_sign_in_with_an_unknown_name_does_not_keep_what_was_typed(client, inspector):
    sign_in(client, "correct-horse-battery", "anything")

    (event,) = events(Action.SIGN_IN_FAILED)
    assert event.user is None and event.username == ""
    assert "correct-horse-battery" not in json.dumps(event.detail)


def test_signing_out_is_recorded(client, inspector):
    sign_in(client, "inspector1", PASSWORD)

    client.post(reverse("logout"))

    (event,) = events(Action.SIGN_OUT)
    assert event.user == inspector


# Case pages


def test_each_view_of_a_case_page_is_recorded_with_the_case_and_inspection(client, case):
    client.force_login(case.allocated_to)

    client.get(reverse("casereview:page", args=[case.public_id, "A1"]))
    client.get(reverse("casereview:check", args=[case.public_id]))

    viewed = events(Action.CASE_VIEWED)
    assert [(e.object_type, e.object_id, e.detail["page"]) for e in viewed] == [
        ("case", str(case.public_id), "A1"),
        ("case", str(case.public_id), "check"),
    ]
    assert {e.inspection_id for e in viewed} == {str(case.inspection.public_id)}
    assert {e.user for e in viewed} == {case.allocated_to}


def test_a_lead_viewing_a_case_is_recorded(client, case, lead):
    client.force_login(lead)

    client.get(reverse("casereview:lead", args=[case.public_id]))
    client.get(reverse("inspection:case_edit", args=[case.inspection.public_id, case.public_id]))

    assert [(e.user, e.detail["page"]) for e in events(Action.CASE_VIEWED)] == [
        (lead, "review"),
        (lead, "sample details"),
    ]


def test_a_refused_look_at_a_case_records_no_view(client, case, other_inspector, outsider):
    for person in (other_inspector, outsider):
        client.force_login(person)
        assert (
            client.get(reverse("casereview:page", args=[case.public_id, "A1"])).status_code == 404
        )

    assert not events(Action.CASE_VIEWED)


# Exports and downloads


def test_an_export_is_recorded_with_its_row_count(client, case, writer):
    client.force_login(writer)

    response = client.get(reverse("reports:export", args=[case.inspection.public_id]))

    assert response.status_code == 200
    (event,) = events(Action.EXPORTED)
    assert (event.user, event.object_id) == (writer, str(case.inspection.public_id))
    assert event.detail == {"dataset": "assessments", "rows": 1}


def test_an_export_by_command_is_recorded(case):
    call_command("export_assessments", inspection=case.inspection.slug, stdout=io.StringIO())

    (event,) = events(Action.EXPORTED)
    assert event.user is None
    assert event.detail["via"] == "export_assessments"


def test_a_report_download_is_recorded(client, inspection, writer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    job = ReportJob.objects.create(
        requested_by=writer, fingerprint="f", status=ReportJob.Status.DONE
    )
    job.inspections.set([inspection])
    job.file.save(f"{job.public_id}.pdf", ContentFile(b"%PDF-1.7 test"))
    client.force_login(writer)

    response = client.get(reverse("reports:download", args=[job.public_id]))

    assert response.status_code == 200
    (event,) = events(Action.REPORT_DOWNLOADED)
    assert (event.user, event.object_type, event.object_id) == (
        writer,
        "reportjob",
        str(job.public_id),
    )
    assert event.detail == {"inspections": [str(inspection.public_id)]}


# Roles and allocations


def test_allocating_cases_records_each_case_that_changes_hands(
    client, inspection, inspector, other_inspector, lead
):
    mine = CaseFactory(inspection=inspection, allocated_to=inspector)
    theirs = CaseFactory(inspection=inspection, allocated_to=other_inspector)
    client.force_login(lead)

    client.post(
        reverse("inspection:allocate", args=[inspection.public_id]),
        {"cases": [mine.public_id, theirs.public_id], "inspector": other_inspector.pk},
    )

    (event,) = events(Action.ALLOCATION_CHANGED)
    assert (event.user, event.object_id) == (lead, str(mine.public_id))
    assert event.detail == {"from": "inspector1", "to": "inspector2"}


def test_giving_or_changing_a_role_is_recorded(inspection, lead):
    newcomer = UserFactory(username="newcomer")

    membership_set(inspection=inspection, user=newcomer, role="inspector", by=lead)
    membership_set(inspection=inspection, user=newcomer, role="inspector", by=lead)  # no change
    membership_set(inspection=inspection, user=newcomer, role="writer", by=lead)

    changes = events(Action.ROLE_CHANGED)
    assert [(e.user, e.object_id, e.detail) for e in changes] == [
        (lead, "newcomer", {"from": None, "to": "inspector"}),
        (lead, "newcomer", {"from": "inspector", "to": "writer"}),
    ]


def admin_form_data(response) -> dict:
    """Return the admin change form's data as the browser would post it, unchanged."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = [str(v) for v in value] if isinstance(value, list) else value
    return data


def test_a_role_changed_in_the_admin_is_recorded(client, admin_user, inspection, inspector, lead):
    client.force_login(admin_user)
    url = reverse("admin:inspection_inspection_change", args=[inspection.pk])
    data = admin_form_data(client.get(url))
    (row,) = [k for k, v in data.items() if k.endswith("-role") and v == "inspector"]
    data[row] = "lead"

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert Membership.objects.get(user=inspector).role == "lead"
    leads = inspection.memberships.filter(
        role=Membership.Role.LEAD
    )  # an inspection may have several
    assert sorted(leads.values_list("user__username", flat=True)) == ["inspector1", "lead"]
    (event,) = events(Action.ROLE_CHANGED)
    assert (event.user, event.object_id) == (admin_user, "inspector1")
    assert event.detail == {"from": "inspector", "to": "lead", "via": "admin"}


def test_a_role_taken_away_in_the_admin_is_recorded(client, admin_user, inspection, inspector):
    client.force_login(admin_user)
    url = reverse("admin:inspection_inspection_change", args=[inspection.pk])
    data = admin_form_data(client.get(url))
    (row,) = [k for k, v in data.items() if k.endswith("-role") and v == "inspector"]
    data[row.replace("-role", "-DELETE")] = "on"

    assert client.post(url, data).status_code == 302

    assert not Membership.objects.filter(user=inspector).exists()
    (event,) = events(Action.ROLE_CHANGED)
    assert event.detail == {"from": "inspector", "to": None, "via": "admin"}


def test_an_allocation_changed_in_the_admin_is_recorded(client, admin_user, case, other_inspector):
    client.force_login(admin_user)
    url = reverse("admin:inspection_case_change", args=[case.pk])
    data = admin_form_data(client.get(url))
    data["allocated_to"] = other_inspector.pk

    assert client.post(url, data).status_code == 302

    (event,) = events(Action.ALLOCATION_CHANGED)
    assert event.detail == {"from": "inspector1", "to": "inspector2", "via": "admin"}


def test_making_someone_an_administrator_is_recorded(client, admin_user, inspector):
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[inspector.pk])
    data = admin_form_data(client.get(url))
    joined = data.pop("date_joined")  # a split date and time in the admin
    data.update(date_joined_0=f"{joined:%Y-%m-%d}", date_joined_1=f"{joined:%H:%M:%S}")
    data["is_superuser"] = "on"

    assert client.post(url, data).status_code == 302

    (event,) = events(Action.ROLE_CHANGED)
    assert (event.object_id, event.detail) == (
        "inspector1",
        {"to": {"is_superuser": True}, "via": "admin"},
    )


# Append-only, and no case text


@pytest.fixture
def event(inspector):
    return AuditEvent.objects.create(action=Action.SIGN_IN, user=inspector, username="inspector1")


@pytest.mark.parametrize(
    "rewrite",
    [
        lambda e: AuditEvent.objects.filter(pk=e.pk).update(username="somebody else"),
        lambda e: AuditEvent.objects.filter(pk=e.pk).delete(),
        lambda e: e.delete(),
    ],
    ids=["update", "queryset delete", "delete"],
)
def test_the_database_refuses_to_change_or_delete_an_entry(event, rewrite):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        rewrite(event)

    event.refresh_from_db()
    assert event.username == "inspector1"


def test_nobody_changes_or_deletes_entries_through_the_admin(client, admin_user, event):
    client.force_login(admin_user)

    change = client.post(
        reverse("admin:audit_auditevent_change", args=[event.pk]), {"username": "x"}
    )
    delete = client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"})

    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    assert (change.status_code, delete.status_code) == (403, 403)
    assert AuditEvent.objects.filter(pk=event.pk, username="inspector1").exists()


def test_the_log_holds_no_case_text(client, case):
    case.case_ref = "CRN-AUDIT-1"
    case.save()
    client.force_login(case.allocated_to)
    client.get(reverse("casereview:page", args=[case.public_id, "A1"]))
    autosave = reverse("casereview:autosave", args=[case.public_id, "A1S"])
    data = {"A1S-value": "no", "A1S-version": 0, "A1S-reasons": CASE_TEXT}
    assert client.post(autosave, data, HTTP_HX_REQUEST="true").status_code == 200
    client.get(reverse("casereview:check", args=[case.public_id]))
    assert Answer.objects.get(question__code="A1S").reasons == CASE_TEXT

    rows = list(AuditEvent.objects.values())
    assert rows
    assert CASE_TEXT not in repr(rows)
    assert "CRN-AUDIT-1" not in repr(rows)
