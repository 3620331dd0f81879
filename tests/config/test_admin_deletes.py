"""The admin never deletes inspectors' judgements: case data leaves only through apply_retention."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from audit.models import AuditEvent
from casereview.answers.services import answer_save
from casereview.models import Answer, AnswerChange, Review
from casereview.workflow.services import review_start
from config.admin_base import JUDGEMENTS, ProjectModelAdmin, cascade_lookups, is_case_data
from inspection.models import Case, Inspection
from tests.factories import CaseFactory, InspectionFactory

REAL_ADMIN, TEST_ADMIN = "config.urls", "tests.config.admin_site"
CASE_TEXT = "Threatened the neighbour Quillon with a knife"


@pytest.fixture
def answer(case, inspector, framework):
    """A summary judgement with its reasons, on the `case` fixture."""
    review = review_start(case=case)
    answer_save(review=review, question=framework.questions.get(code="A1S"), by=inspector,
                expected_version=0, value="no", reasons=CASE_TEXT)  # fmt: skip
    return Answer.objects.select_related("review__case__inspection").get()


def case_data_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count()
            for model in (Inspection, Case, Review, Answer, AnswerChange)}  # fmt: skip


def target(answer, kind):
    review = answer.review
    return {"inspection": review.case.inspection, "case": review.case, "review": review,
            "answer": answer}[kind]  # fmt: skip


# The admin has pages for inspections and cases; the test site adds reviews and answers,
# as a page added later would be.
PAGES = [(REAL_ADMIN, "inspection"), (REAL_ADMIN, "case"), (TEST_ADMIN, "review"),
         (TEST_ADMIN, "answer")]  # fmt: skip


@pytest.mark.parametrize(("urlconf", "kind"), PAGES)
def test_deleting_what_holds_judgements_from_its_page_is_refused(
    client, admin_user, answer, settings, urlconf, kind
):
    settings.ROOT_URLCONF = urlconf
    obj = target(answer, kind)
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_delete", args=[obj.pk])
    before = case_data_counts()
    client.force_login(admin_user)

    page = client.get(url)
    confirmed = client.post(url, {"post": "yes"})

    for response in (page, confirmed):
        assert response.status_code == 200
        text = response.content.decode()
        assert "cannot be deleted here: it holds inspectors&#x27; judgements" in text
        assert "python manage.py apply_retention" in text
        assert 'name="post"' not in text  # no "Yes, I'm sure" button
    assert case_data_counts() == before
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DELETED).exists()


@pytest.mark.parametrize(("urlconf", "kind"), PAGES)
def test_deleting_what_holds_judgements_with_the_bulk_action_is_refused(
    client, admin_user, answer, settings, urlconf, kind
):
    settings.ROOT_URLCONF = urlconf
    obj = target(answer, kind)
    empty = CaseFactory(inspection=answer.review.case.inspection)  # selected with it: kept too
    selected = [obj.pk, empty.pk] if kind == "case" else [obj.pk]
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_changelist")
    before = case_data_counts()
    client.force_login(admin_user)

    for step in ({}, {"post": "yes"}):  # the confirmation page, then "Yes, I'm sure"
        response = client.post(
            url, {"action": "delete_selected", "_selected_action": selected, **step}
        )
        assert response.status_code == 200
        assert "The selected" in response.content.decode()
        assert "python manage.py apply_retention" in response.content.decode()

    assert case_data_counts() == before
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DELETED).exists()


def test_the_refusal_counts_what_would_have_gone(client, admin_user, answer):
    client.force_login(admin_user)
    inspection = answer.review.case.inspection

    response = client.get(reverse("admin:inspection_inspection_delete", args=[inspection.pk]))

    assert "1 answer" in response.content.decode()
    assert "2 answer changes" in response.content.decode()  # the value and the reasons


def test_a_case_without_judgements_may_be_deleted_and_the_delete_is_recorded(
    client, admin_user, inspection
):
    mistake = CaseFactory(inspection=inspection, case_ref="TYPO-1")
    client.force_login(admin_user)
    url = reverse("admin:inspection_case_delete", args=[mistake.pk])

    assert client.get(url).status_code == 200
    response = client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Case.objects.filter(pk=mistake.pk).exists()
    (deleted,) = AuditEvent.objects.filter(action=AuditEvent.Action.DELETED)
    assert (deleted.user, deleted.object_type, deleted.object_id, deleted.detail) == (
        admin_user, "case", str(mistake.public_id), {"via": "admin"},
    )  # fmt: skip
    assert deleted.inspection_id == str(inspection.public_id)
    assert "TYPO-1" not in repr(list(AuditEvent.objects.values()))


def test_an_inspection_set_up_by_mistake_may_be_deleted_with_its_cases_and_that_is_recorded(
    client, admin_user, framework
):
    mistake = InspectionFactory(framework_version=framework)
    CaseFactory.create_batch(3, inspection=mistake)
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:inspection_inspection_changelist"),
        {"action": "delete_selected", "_selected_action": [mistake.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert not Inspection.objects.filter(pk=mistake.pk).exists()
    (deleted,) = AuditEvent.objects.filter(action=AuditEvent.Action.DELETED)
    assert (deleted.object_id, deleted.detail) == (
        str(mistake.public_id),
        {"via": "admin", "cases": 3},
    )


def test_every_admin_page_that_could_reach_judgements_or_case_data_keeps_the_rules():
    assert cascade_lookups(Answer, Inspection) == ("review__case__inspection",)
    judgements = [apps.get_model(label) for label in JUDGEMENTS]
    for model, model_admin in admin.site._registry.items():
        reaches = any(cascade_lookups(j, model) for j in judgements)
        if reaches or is_case_data(model):
            assert isinstance(model_admin, ProjectModelAdmin), model
        for inline in model_admin.inlines:
            if any(cascade_lookups(j, inline.model) for j in judgements):
                assert not inline.can_delete, (model, inline)
