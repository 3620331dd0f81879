"""Practice examples: the lead approves (edited for anonymity) or rejects; reports take approved."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from casereview.answers.examples import practice_example_decide, practice_examples
from casereview.answers.services import answer_save
from casereview.models import Answer, PracticeExample
from casereview.queries.services import query_raise
from casereview.workflow.services import review_start, review_submit, review_transition
from tests.casereview.helpers import complete


@pytest.fixture
def example(case, inspector):
    review = review_start(case=case)
    complete(review, inspector, **{"A3.15": "no"})
    summary = Answer.objects.get(review=review, question__code="A1S")
    answer_save(review=review, question=summary.question, by=inspector,
                expected_version=summary.version, practice="good",
                practice_text="Mr Smith's officer met his mother, Jane Smith, weekly.")  # fmt: skip
    review_submit(review=review, by=inspector)
    return Answer.objects.get(pk=summary.pk)


def test_an_approved_example_goes_to_reports_as_edited(example, lead):
    edited = "The officer met the service user's mother weekly."
    practice_example_decide(answer=example, status="approved", text=edited, by=lead)

    (approved,) = practice_examples(example.review.case.inspection, approved_only=True)
    assert approved.example.text == edited


def test_a_rejected_example_stays_out(example, lead):
    practice_example_decide(answer=example, status="rejected", text="", by=lead)

    assert practice_examples(example.review.case.inspection, approved_only=True) == []
    assert len(practice_examples(example.review.case.inspection)) == 1


def test_an_example_changed_after_approval_waits_for_a_new_decision(example, lead, inspector):
    practice_example_decide(answer=example, status="approved", text="Edited.", by=lead)
    review = example.review
    query_raise(review=review, question=example.question, text="Name?", by=lead)
    review_transition(review=review, to_status="returned", by=lead)
    answer_save(review=review, question=example.question, by=inspector,
                expected_version=example.version, practice_text="A new example.")  # fmt: skip

    assert practice_examples(review.case.inspection, approved_only=True) == []


def test_only_a_lead_decides_and_an_approval_needs_text(example, inspector, lead, outsider):
    for person in (inspector, outsider):
        with pytest.raises(PermissionDenied):
            practice_example_decide(answer=example, status="approved", text="x", by=person)
    with pytest.raises(ValidationError, match="as it may be published"):
        practice_example_decide(answer=example, status="approved", text="  ", by=lead)
    assert not PracticeExample.objects.exists()


def test_the_lead_decides_on_the_examples_page(client, example, lead, inspector):
    inspection = example.review.case.inspection
    client.force_login(lead)
    url = reverse("casereview:decide_example", args=[example.review.case.public_id, "A1S"])

    page = client.get(reverse("casereview:examples", args=[inspection.public_id]))
    client.post(url, {"decision": "approved", "text": "The officer met the mother weekly."})

    assert "Jane Smith" in page.content.decode()
    assert PracticeExample.objects.get().text == "The officer met the mother weekly."
    client.force_login(inspector)
    assert (
        client.get(reverse("casereview:examples", args=[inspection.public_id])).status_code == 403
    )
    assert client.post(url, {"reject": ""}).status_code == 404
    assert PracticeExample.objects.get().status == "approved"


def test_a_decision_other_than_approve_or_reject_is_refused(client, example, lead):
    client.force_login(lead)
    url = reverse("casereview:decide_example", args=[example.review.case.public_id, "A1S"])

    response = client.post(url, {"decision": "published", "text": "Anything."}, follow=True)

    assert "Select a valid choice" in response.content.decode()
    assert not PracticeExample.objects.exists()
