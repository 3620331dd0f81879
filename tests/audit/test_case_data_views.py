"""Every page that shows case data records the view: the admin's, the dashboard, the examples.

A page of one case names the case; a page listing cases is one event per inspection with
the number shown. None of them keeps case text, nor what was searched for.
"""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from casereview.answers.services import answer_save
from casereview.models import Answer, Review
from casereview.workflow.services import review_start
from tests.factories import CaseFactory, InspectionFactory

Action = AuditEvent.Action
CASE_REF = "CRN-VIEW-77"
CASE_TEXT = "Lives with Ottoline at the hostel on Fenwick Street"


@pytest.fixture
def answer(case, inspector, framework):
    """A good practice example flagged on a submitted review of the `case` fixture."""
    case.case_ref, case.ldu = CASE_REF, "Fenwick Street LDU"
    case.save()
    review = review_start(case=case)
    answer_save(review=review, question=framework.questions.get(code="A1S"), by=inspector,
                expected_version=0, value="yes", reasons=CASE_TEXT, practice="good",
                practice_text=CASE_TEXT)  # fmt: skip
    return Answer.objects.select_related("review__case__inspection").get()


def events(action=None):
    rows = AuditEvent.objects.order_by("pk")
    return list(rows.filter(action=action) if action else rows)


def assert_no_case_text():
    rows = repr(list(AuditEvent.objects.values()))
    for text in (CASE_REF, CASE_TEXT, "Fenwick", "Ottoline"):
        assert text not in rows


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_the_admin_page_of_a_case_records_the_view(admin_client, admin_user, answer):
    case = answer.review.case
    before = len(events())

    response = admin_client.get(reverse("admin:inspection_case_change", args=[case.pk]))
    history = admin_client.get(reverse("admin:inspection_case_history", args=[case.pk]))

    assert (response.status_code, history.status_code) == (200, 200)
    assert CASE_REF in response.content.decode()
    viewed = events()[before:]
    assert [(e.action, e.user, e.object_type, e.object_id, e.detail) for e in viewed] == [
        (Action.CASE_VIEWED, admin_user, "case", str(case.public_id), {"page": "admin case"}),
        (Action.CASE_VIEWED, admin_user, "case", str(case.public_id),
         {"page": "admin case history"}),
    ]  # fmt: skip
    assert viewed[0].inspection_id == str(case.inspection.public_id)
    assert_no_case_text()


def test_the_admin_list_of_cases_records_one_event_per_inspection_with_the_count(
    admin_client, answer, framework
):
    other = InspectionFactory(framework_version=framework)
    CaseFactory(inspection=answer.review.case.inspection, case_ref="CRN-VIEW-78")
    CaseFactory.create_batch(3, inspection=other)
    before = len(events())

    everything = admin_client.get(reverse("admin:inspection_case_changelist"))
    searched = admin_client.get(reverse("admin:inspection_case_changelist") + f"?q={CASE_REF}")

    assert CASE_REF in everything.content.decode() and CASE_REF in searched.content.decode()
    listed = events()[before:]
    assert {e.action for e in listed} == {Action.CASES_LISTED}
    assert sorted((e.inspection_id, e.detail["cases"]) for e in listed) == sorted([
        (str(answer.review.case.inspection.public_id), 2),
        (str(other.public_id), 3),
        (str(answer.review.case.inspection.public_id), 1),  # the search found one case
    ])  # fmt: skip
    assert {e.detail["page"] for e in listed} == {"admin case list"}
    assert_no_case_text()


def test_the_admin_pages_of_an_inspection_show_no_case_data_and_record_nothing(
    admin_client, answer
):
    inspection = answer.review.case.inspection
    before = len(events())

    admin_client.get(reverse("admin:inspection_inspection_changelist"))
    admin_client.get(reverse("admin:inspection_inspection_change", args=[inspection.pk]))

    assert events()[before:] == []


def test_the_confirmation_page_of_a_delete_that_lists_cases_records_the_view(
    admin_client, framework
):
    mistake = InspectionFactory(framework_version=framework)
    CaseFactory.create_batch(2, inspection=mistake)
    url = reverse("admin:inspection_inspection_delete", args=[mistake.pk])

    response = admin_client.get(url)

    assert response.status_code == 200
    (event,) = events(Action.CASES_LISTED)
    assert (event.object_id, event.detail) == (
        str(mistake.public_id),
        {"page": "admin inspection delete", "cases": 2},
    )


def test_admin_pages_of_reviews_and_answers_record_the_case_viewed(admin_client, answer, settings):
    settings.ROOT_URLCONF = "tests.config.admin_site"  # pages the real admin does not have
    case = answer.review.case
    before = len(events())

    admin_client.get(reverse("admin:casereview_review_change", args=[answer.review.pk]))
    admin_client.get(reverse("admin:casereview_answer_change", args=[answer.pk]))
    admin_client.get(reverse("admin:casereview_answer_changelist"))

    viewed = events()[before:]
    assert [(e.action, e.object_id, e.detail) for e in viewed] == [
        (Action.CASE_VIEWED, str(case.public_id), {"page": "admin review"}),
        (Action.CASE_VIEWED, str(case.public_id), {"page": "admin answer"}),
        (Action.CASES_LISTED, str(case.inspection.public_id),
         {"page": "admin answer list", "answers": 1}),
    ]  # fmt: skip
    assert_no_case_text()


def test_the_dashboard_records_the_inspection_and_the_cases_shown(client, answer, lead):
    inspection = answer.review.case.inspection
    CaseFactory.create_batch(2, inspection=inspection)
    client.force_login(lead)
    url = reverse("casereview:dashboard", args=[inspection.public_id])

    assert client.get(url).status_code == 200
    assert client.get(url + "?provider=nps").status_code == 200  # the factory's are all CRC

    listed = events(Action.CASES_LISTED)
    assert [(e.user, e.object_id, e.inspection_id, e.detail) for e in listed] == [
        (lead, str(inspection.public_id), str(inspection.public_id),
         {"page": "dashboard", "cases": 3}),
        (lead, str(inspection.public_id), str(inspection.public_id),
         {"page": "dashboard", "cases": 0}),
    ]  # fmt: skip
    assert_no_case_text()


def test_the_practice_examples_page_records_the_inspection_and_the_examples_shown(
    client, answer, lead
):
    Review.objects.filter(pk=answer.review.pk).update(status=Review.Status.SUBMITTED)
    inspection = answer.review.case.inspection
    client.force_login(lead)

    response = client.get(reverse("casereview:examples", args=[inspection.public_id]))

    assert response.status_code == 200
    (event,) = events(Action.CASES_LISTED)
    assert (event.user, event.object_id, event.detail) == (
        lead,
        str(inspection.public_id),
        {"page": "practice examples", "examples": 1},
    )


def test_a_refused_dashboard_or_examples_page_records_nothing(client, answer, other_inspector):
    inspection = answer.review.case.inspection
    client.force_login(other_inspector)

    for name in ("casereview:dashboard", "casereview:examples"):
        assert client.get(reverse(name, args=[inspection.public_id])).status_code == 403

    assert events(Action.CASES_LISTED) == []


def test_the_inspection_page_listing_the_sample_records_the_cases_shown(client, answer, lead):
    inspection = answer.review.case.inspection
    client.force_login(lead)

    assert client.get(inspection.get_absolute_url()).status_code == 200

    (event,) = events(Action.CASES_LISTED)
    assert (event.user, event.inspection_id, event.detail) == (
        lead, str(inspection.public_id), {"page": "inspection", "cases": 1},
    )  # fmt: skip
    assert_no_case_text()


def test_a_sample_import_records_who_added_how_many_cases(client, inspection, lead):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(lead)
    sample = SimpleUploadedFile("s.csv", b"case_ref,ldu\nN1,Fenwick Street LDU\nN2,\n")
    response = client.post(reverse("inspection:import", args=[inspection.public_id]),
                           {"file": sample}, follow=True)  # fmt: skip

    assert "2 cases were added to the sample." in response.content.decode()
    (event,) = events(Action.IMPORTED)
    assert (event.user, event.inspection_id, event.detail) == (
        lead, str(inspection.public_id), {"via": "sample", "cases": 2},
    )  # fmt: skip
    assert_no_case_text()


def test_a_refused_sample_import_records_nothing(client, inspection, lead):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(lead)
    sample = SimpleUploadedFile("s.csv", b"case_ref,provider\nN1,XYZ\n")
    client.post(reverse("inspection:import", args=[inspection.public_id]), {"file": sample})

    assert not events(Action.IMPORTED)


def test_a_dataset_import_records_what_it_stored(admin_user, tmp_path, framework):
    from django.core.management import call_command

    data = tmp_path / "d.csv"
    data.write_text("inspection,case_ref,A1S\nhist,H1,yes\nhist,H2,no\n")

    call_command("import_assessments", str(data), "--inspection", "hist",
                 "--user", admin_user.username, stdout=None)  # fmt: skip

    (event,) = events(Action.IMPORTED)
    assert (event.user, event.object_type, event.detail) == (
        admin_user, "inspection", {"via": "import_assessments", "cases": 2, "answers": 2},
    )  # fmt: skip
