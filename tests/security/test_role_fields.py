"""No field is set by the wrong role: forms and endpoints ignore or refuse what a role may not set.

Every test posts something a person might forge in the browser (a status, a lock, an
allocation, another inspection's id) and checks both the response and the database.
The people and cases are tests/security/world.py's.
"""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casereview.models import Answer, Moderation, Query, Review, ReviewEvent
from casereview.queries.services import query_close
from casereview.workflow.services import review_transition
from inspection.models import Case
from inspection.services import cases_allocate
from reports.models import ReportJob, ReportNarrative
from reports.services import narrative_save, report_request
from tests.security.world import A_SUMMARY, B_SUMMARY, changed_tables, snapshot, world_in_rollback


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    yield from world_in_rollback(django_db_blocker, tmp_path_factory.mktemp("media"))


@pytest.fixture
def as_person(world, db, client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def status(case) -> str:
    return Review.objects.get(case=case).status


def answer(case, code) -> Answer:
    return Answer.objects.get(review__case=case, question__code=code)


FORGED = {
    "status": "agreed", "locked": "1", "agreed": "1", "allocated_to": "", "inspection": "",
    "inspection_id": "", "case": "", "review": "", "version": "99", "updated_by": "",
}  # fmt: skip


def forged(world, **more) -> dict:
    """Return fields no page offers, pointing at other people and the other inspection."""
    return {
        **FORGED,
        "allocated_to": str(world.other_inspector.pk),
        "inspection": str(world.other_inspection.pk),
        "inspection_id": str(world.other_inspection.public_id),
        "case": str(world.other_case.pk),
        "review": str(world.other_case.review.pk),
        "updated_by": str(world.lead.pk),
        **more,
    }


# State moves


@pytest.mark.parametrize("to", ["agreed", "returned", "submitted", "in_progress"])
def test_the_allocated_inspector_cannot_move_their_case_through_the_lead_s_endpoint(
    world, as_person, to
):
    client = as_person(world.inspector)
    events = ReviewEvent.objects.count()

    response = client.post(reverse("casereview:move", args=[world.submitted.public_id]),
                           {"to": to, "note": "Forged."})  # fmt: skip

    assert response.status_code == 404
    assert status(world.submitted) == "submitted"
    assert ReviewEvent.objects.count() == events


def test_the_inspector_cannot_unlock_an_agreed_case(world, as_person):
    review = world.submitted.review
    for query in review.queries.all():
        query_close(query=query, by=world.lead)
    review_transition(review=review, to_status="agreed", by=world.lead)
    client = as_person(world.inspector)

    response = client.post(reverse("casereview:move", args=[world.submitted.public_id]),
                           {"to": "submitted", "note": "Unlock it."})  # fmt: skip

    assert response.status_code == 404
    assert status(world.submitted) == "agreed"
    with pytest.raises(PermissionDenied):
        review_transition(review=review, to_status="submitted", by=world.inspector, note="Me.")
    assert status(world.submitted) == "agreed"


@pytest.mark.parametrize("to", ["agreed", "returned"])
def test_the_service_refuses_a_lead_s_move_made_by_the_inspector(world, db, to):
    review = world.submitted.review

    with pytest.raises(PermissionDenied):
        review_transition(review=review, to_status=to, by=world.inspector)

    assert status(world.submitted) == "submitted"


# Answers


def test_fields_forged_into_an_autosave_change_nothing_but_the_answer(world, as_person):
    client = as_person(world.inspector)
    before = answer(world.returned, "A1.1")

    response = client.post(
        reverse("casereview:autosave", args=[world.returned.public_id, "A1.1"]),
        forged(world, **{"A1_1-value": "no", "A1_1-version": before.version,
                         "A1_1-updated_by": world.lead.pk, "A1_1-status": "agreed"}),
    )  # fmt: skip

    assert response.status_code == 200
    after = answer(world.returned, "A1.1")
    assert (after.value, after.version, after.updated_by) == ("no", before.version + 1,
                                                             world.inspector)  # fmt: skip
    case = Case.objects.get(pk=world.returned.pk)
    assert (case.inspection, case.allocated_to) == (world.inspection, world.inspector)
    assert status(world.returned) == "returned"
    assert answer(world.other_case, "A1.1").value == "yes"  # the forged case and review


def test_fields_forged_into_a_case_page_change_nothing_but_the_answers(world, as_person):
    client = as_person(world.inspector)
    version = answer(world.returned, "A1.1").version

    response = client.post(
        reverse("casereview:page", args=[world.returned.public_id, "A1"]),
        forged(world, **{"A1_1-value": "no", "A1_1-version": version, "save": ""}),
    )

    assert response.status_code == 302
    assert (answer(world.returned, "A1.1").value, answer(world.returned, "A1.1").version) == (
        "no", version + 1,
    )  # fmt: skip
    case = Case.objects.get(pk=world.returned.pk)
    assert (case.inspection, case.allocated_to) == (world.inspection, world.inspector)
    assert status(world.returned) == "returned"


def test_an_answer_version_made_up_by_the_browser_is_refused_not_stored(world, as_person):
    client = as_person(world.inspector)
    before = answer(world.returned, "A1.1")

    response = client.post(
        reverse("casereview:autosave", args=[world.returned.public_id, "A1.1"]),
        {"A1_1-value": "no", "A1_1-version": before.version + 50},
    )

    assert response.status_code == 200 and "Not saved" in response.content.decode()
    after = answer(world.returned, "A1.1")
    assert (after.value, after.version) == (before.value, before.version)


def test_a_reply_cannot_close_the_query(world, as_person):
    client = as_person(world.inspector)

    response = client.post(
        reverse("casereview:reply", args=[world.returned.public_id, world.query.public_id]),
        {"text": "Fixed.", "status": "closed", "closed_by": world.lead.pk},
    )

    assert response.status_code == 302
    query = Query.objects.get(pk=world.query.pk)
    assert (query.status, query.reply, query.closed_by) == ("answered", "Fixed.", None)


def test_a_moderator_s_forged_status_or_moderator_is_ignored(world, as_person):
    client = as_person(world.lead)  # the lead moderates the returned case

    response = client.post(
        reverse("casereview:moderate", args=[world.moderation.public_id]),
        {"A1-value": "no", "status": "submitted", "moderator": world.other_inspector.pk},
    )

    assert response.status_code == 302
    moderation = Moderation.objects.get(pk=world.moderation.pk)
    assert (moderation.status, moderation.moderator) == ("assigned", world.lead)
    assert list(moderation.judgements.values_list("key_question__code", "value")) == [("A1", "no")]


# Cases and allocation


def test_a_lead_correcting_a_case_cannot_move_it_to_another_inspection(world, as_person):
    client = as_person(world.lead)
    case = world.returned

    response = client.post(
        reverse("inspection:case_edit", args=[world.inspection.public_id, case.public_id]),
        forged(world, case_ref="ALPHA-CORRECTED", provider="nps", public_id=str(uuid.uuid4())),
    )

    assert response.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert case.case_ref == "ALPHA-CORRECTED"  # the form was taken
    assert (case.inspection, case.allocated_to) == (world.inspection, world.inspector)
    assert case.public_id == world.returned.public_id
    assert world.other_inspection.cases.count() == 1


def test_a_case_added_with_another_inspection_s_id_lands_in_the_lead_s_own(world, as_person):
    client = as_person(world.lead)

    response = client.post(
        reverse("inspection:case_add", args=[world.inspection.public_id]),
        forged(world, case_ref="ALPHA-ADDED"),
    )

    assert response.status_code == 302
    added = Case.objects.get(case_ref="ALPHA-ADDED")
    assert (added.inspection, added.allocated_to) == (world.inspection, None)
    assert world.other_inspection.cases.count() == 1


@pytest.mark.parametrize("who", ["inspector", "other_inspector", "writer"])
def test_only_a_lead_allocates_cases(world, as_person, who):
    client = as_person(getattr(world, who))

    response = client.post(
        reverse("inspection:allocate", args=[world.inspection.public_id]),
        {"cases": [str(world.submitted.public_id)], "inspector": world.other_inspector.pk},
    )

    assert response.status_code == 403
    assert Case.objects.get(pk=world.submitted.pk).allocated_to == world.inspector


@pytest.mark.parametrize("who", ["writer", "outsider", "b_inspector", "admin"])
def test_a_case_cannot_be_allocated_to_someone_not_inspecting_it(world, as_person, who):
    client = as_person(world.lead)
    before = snapshot()

    response = client.post(
        reverse("inspection:allocate", args=[world.inspection.public_id]),
        {"cases": [str(world.submitted.public_id)], "inspector": getattr(world, who).pk},
        follow=True,
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert changed_tables(before, snapshot()) == []


def test_another_inspection_s_case_cannot_be_allocated(world, as_person):
    client = as_person(world.lead)
    before = snapshot()

    response = client.post(
        reverse("inspection:allocate", args=[world.inspection.public_id]),
        {"cases": [str(world.other_case.public_id)], "inspector": world.other_inspector.pk},
        follow=True,
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert changed_tables(before, snapshot()) == []
    assert Case.objects.get(pk=world.other_case.pk).allocated_to == world.b_inspector


def test_the_allocation_service_refuses_other_inspections_cases_and_people(world, db):
    with pytest.raises(ValidationError):
        cases_allocate(inspection=world.inspection, cases=[world.other_case],
                       inspector=world.other_inspector)  # fmt: skip
    with pytest.raises(ValidationError):
        cases_allocate(inspection=world.inspection, cases=[world.submitted],
                       inspector=world.b_inspector)  # fmt: skip
    with pytest.raises(ValidationError):
        cases_allocate(inspection=world.inspection, cases=[world.submitted], inspector=world.writer)

    assert Case.objects.get(pk=world.other_case.pk).allocated_to == world.b_inspector
    assert Case.objects.get(pk=world.submitted.pk).allocated_to == world.inspector


def test_moderation_cannot_be_given_to_an_outsider_or_cover_another_inspection_s_case(
    world, as_person
):
    client = as_person(world.lead)
    url = reverse("casereview:moderation_choose", args=[world.inspection.public_id])
    moderations = Moderation.objects.count()

    to_outsider = client.post(url, {"moderator": world.outsider.pk, "request_id": uuid.uuid4(),
                                    "cases": [str(world.submitted.public_id)]})  # fmt: skip
    other_case = client.post(url, {"moderator": world.other_inspector.pk,
                                   "request_id": uuid.uuid4(),
                                   "cases": [str(world.other_case.public_id)]})  # fmt: skip

    assert to_outsider.status_code == other_case.status_code == 302
    assert Moderation.objects.count() == moderations


# The case sample


def test_an_inspector_cannot_import_the_sample(world, as_person):
    client = as_person(world.inspector)
    cases = Case.objects.count()

    response = client.post(
        reverse("inspection:import", args=[world.inspection.public_id]),
        {"file": SimpleUploadedFile("sample.csv", b"case_ref\nFORGED-1\n", "text/csv")},
    )

    assert response.status_code == 403
    assert Case.objects.count() == cases


def test_a_sample_file_cannot_allocate_cases_or_name_another_inspection(world, as_person):
    client = as_person(world.lead)
    cases = Case.objects.count()
    sample = (f"case_ref,inspection,allocated_to\n"
              f"FORGED-2,{world.other_inspection.slug},{world.inspector.pk}\n")  # fmt: skip

    response = client.post(
        reverse("inspection:import", args=[world.inspection.public_id]),
        {"file": SimpleUploadedFile("sample.csv", sample.encode(), "text/csv"),
         "inspection": world.other_inspection.pk},
    )  # fmt: skip

    assert response.status_code == 400
    assert "Unknown column(s): inspection, allocated_to" in response.content.decode()
    assert Case.objects.count() == cases


# Reports and the narrative


def test_a_writer_cannot_ask_for_a_report_including_an_inspection_they_do_not_write_for(world, db):
    jobs = ReportJob.objects.count()

    with pytest.raises(PermissionDenied):
        report_request(inspections=[world.inspection, world.other_inspection], final=False,
                       by=world.writer)  # fmt: skip
    with pytest.raises(PermissionDenied):
        report_request(inspections=[world.inspection], final=False, by=world.inspector)

    assert ReportJob.objects.count() == jobs


@pytest.mark.parametrize(
    "who, inspection, refused",
    [("writer", "other_inspection", 404), ("inspector", "inspection", 403),
     ("other_inspector", "inspection", 403), ("outsider", "inspection", 404)],
)  # fmt: skip
def test_asking_for_a_report_through_the_page_is_refused_to_the_wrong_role(
    world, as_person, who, inspection, refused
):
    client = as_person(getattr(world, who))
    jobs = ReportJob.objects.count()

    response = client.post(
        reverse("reports:page", args=[getattr(world, inspection).public_id]), {"kind": "draft"}
    )

    assert response.status_code == refused
    assert ReportJob.objects.count() == jobs


def test_a_report_of_two_inspections_is_hidden_from_a_writer_of_only_one(world, as_person):
    job, _ = report_request(inspections=[world.inspection, world.other_inspection], final=False,
                            by=world.admin)  # fmt: skip
    client = as_person(world.writer)

    status_page = client.get(reverse("reports:job", args=[job.public_id]))
    download = client.get(reverse("reports:download", args=[job.public_id]))

    assert status_page.status_code == download.status_code == 404
    admin_page = as_person(world.admin).get(reverse("reports:job", args=[job.public_id]))
    assert admin_page.status_code == 200  # the job is there, for one who may see it


def test_an_inspector_cannot_write_the_narrative(world, as_person):
    client = as_person(world.inspector)

    response = client.post(
        reverse("reports:narrative", args=[world.inspection.public_id]),
        {"summary": "Forged summary.", "key_findings": "", "recommendations": ""},
    )

    assert response.status_code == 403
    assert ReportNarrative.objects.get(inspection=world.inspection).summary == A_SUMMARY
    with pytest.raises(PermissionDenied):
        narrative_save(inspection=world.inspection, by=world.inspector, summary="Forged.")
    assert ReportNarrative.objects.get(inspection=world.inspection).summary == A_SUMMARY


def test_a_writer_s_narrative_cannot_be_saved_onto_another_inspection(world, as_person):
    client = as_person(world.writer)

    response = client.post(
        reverse("reports:narrative", args=[world.inspection.public_id]),
        forged(world, summary="ALPHA rewritten.", key_findings="", recommendations=""),
    )

    assert response.status_code == 302
    narratives = dict(ReportNarrative.objects.values_list("inspection__slug", "summary"))
    assert narratives == {"alpha": "ALPHA rewritten.", "bravo": B_SUMMARY}
    assert ReportNarrative.objects.get(inspection=world.inspection).updated_by == world.writer
