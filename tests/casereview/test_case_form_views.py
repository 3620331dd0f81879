"""The case form in the browser's terms: who may see it, autosave, stale saves, submitting."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casereview.answers.services import answer_save
from casereview.models import Answer, AnswerChange, Review
from casereview.workflow.services import review_start
from tests.casereview.helpers import complete


@pytest.fixture
def review(case):
    return review_start(case=case)


def page_url(case, code):
    return reverse("casereview:page", args=[case.public_id, code])


def autosave(client, case, code, **fields):
    prefix = code.replace(".", "_")
    data = {f"{prefix}-{name}": value for name, value in fields.items()}
    return client.post(reverse("casereview:autosave", args=[case.public_id, code]), data,
                       HTTP_HX_REQUEST="true")  # fmt: skip


def test_my_cases_lists_only_the_cases_allocated_to_me(client, case, inspector, other_inspector):
    from tests.factories import CaseFactory

    theirs = CaseFactory(inspection=case.inspection, allocated_to=other_inspector)
    client.force_login(inspector)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert case.case_ref.encode() in response.content
    assert theirs.case_ref.encode() not in response.content


@pytest.mark.parametrize("person", ["other_inspector", "lead", "writer", "outsider"])
def test_nobody_but_the_allocated_inspector_opens_the_case_form(client, case, person, request):
    client.force_login(request.getfixturevalue(person))

    for url in (page_url(case, "A1"), reverse("casereview:check", args=[case.public_id])):
        assert client.get(url).status_code == 404
    response = autosave(client, case, "A1.1", value="yes", version=0)
    assert response.status_code == 404
    assert client.post(reverse("casereview:submit", args=[case.public_id])).status_code == 404
    assert not Answer.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, case):
    response = client.get(page_url(case, "A1"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_form_is_built_from_the_framework(client, case, inspector):
    client.force_login(inspector)

    page = client.get(page_url(case, "A1")).content.decode()

    for code in ("A1_1", "A1_2", "A1_3", "A1_4", "A1_5", "A1_6", "A1S"):
        assert f'id="question-{code}"' in page
    assert 'name="A1S-reasons"' in page and 'name="A1S-practice"' in page
    assert "govuk-details" in page and "Inspectors are looking for more than a simple" in page
    assert 'class="govuk-radios govuk-radios--inline govuk-radios--small"' in page


def test_questions_that_do_not_apply_are_marked_not_applicable(client, case, inspector):
    client.force_login(inspector)  # a community case: no licence conditions, no A3.7 yet

    case_details = client.get(page_url(case, "I")).content.decode()
    assessment = client.get(page_url(case, "A3")).content.decode()

    assert (
        "Not applicable to this case" in case_details and 'name="I15_4-value"' not in case_details
    )
    assert 'name="A3_7-value"' not in assessment


def test_an_answer_is_saved_as_it_is_given(client, case, inspector, review):
    client.force_login(inspector)

    response = autosave(client, case, "A1.1", value="yes", version=0)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Saved at" in body
    assert 'id="A1_1-version" hx-swap-oob="true"' in body and 'value="1"' in body
    answer = Answer.objects.get()
    assert (answer.question.code, answer.value, answer.version) == ("A1.1", "yes", 1)


def test_an_earlier_answer_opens_a_question_on_the_same_page(client, case, inspector, review):
    client.force_login(inspector)

    body = autosave(client, case, "A3.6", value="yes", version=0).content.decode()

    assert 'id="question-A3_7"' in body and 'hx-swap-oob="true"' in body
    assert 'name="A3_7-value"' in body


def test_a_stale_save_is_refused_and_the_newer_answer_shown(client, case, inspector, review):
    question = case.inspection.framework_version.questions.get(code="A1.1")
    answer_save(review=review, question=question, by=inspector, expected_version=0, value="no")
    client.force_login(inspector)

    body = autosave(client, case, "A1.1", value="yes", version=0).content.decode()

    assert "Not saved: inspector1 changed this answer to “No”" in body
    assert 'name="A1_1-version" value="1"' in body or 'value="1"' in body
    assert Answer.objects.get().value == "no"
    assert AnswerChange.objects.count() == 1


def test_a_bad_value_gets_a_clear_message_and_is_not_saved(client, case, inspector, review):
    client.force_login(inspector)

    body = autosave(client, case, "A0.1-ogrs", value="", version=0)  # does not apply yet
    assert body.status_code == 404
    body = autosave(client, case, "I18", value="lots", version=0).content.decode()

    assert "Enter a number for I18, like 12." in body
    assert not Answer.objects.exists()


def test_the_page_saves_without_javascript_and_continues(client, case, inspector, review):
    client.force_login(inspector)
    data = {f"A1_{i}-value": "yes" for i in range(1, 7)}
    data.update({f"A1_{i}-version": 0 for i in range(1, 7)})
    data.update({"A1S-value": "yes", "A1S-version": 0, "A1S-reasons": "Good work.",
                 "A1S-practice": "", "A1S-practice_text": "", "continue": ""})  # fmt: skip

    response = client.post(page_url(case, "A1"), data)

    assert response.status_code == 302 and response["Location"] == page_url(case, "A2")
    assert Answer.objects.count() == 7
    assert Answer.objects.get(question__code="A1S").reasons == "Good work."


def test_a_stale_page_save_saves_nothing_and_keeps_every_answer_on_the_page(
    client, case, inspector, review
):
    question = case.inspection.framework_version.questions.get(code="A1.1")
    answer_save(review=review, question=question, by=inspector, expected_version=0, value="no")
    client.force_login(inspector)
    data = {"A1_1-value": "yes", "A1_1-version": 0, "A1_2-value": "yes", "A1_2-version": 0,
            "save": ""}  # fmt: skip

    response = client.post(page_url(case, "A1"), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing on this page has been saved" in page
    assert "changed this answer to “No”" in page
    assert Answer.objects.get(question__code="A1.1").value == "no"
    assert not Answer.objects.filter(question__code="A1.2").exists()
    assert re.search(r'name="A1_2-value"[^>]*value="yes"\s*checked', page)
    assert re.search(r'name="A1_1-version" value="1"', page)  # saving again is a choice made

    again = client.post(page_url(case, "A1"), {**data, "A1_1-version": 1})

    assert again.status_code == 302
    assert Answer.objects.get(question__code="A1.1").value == "yes"
    assert Answer.objects.get(question__code="A1.2").value == "yes"


def test_a_page_save_with_one_bad_answer_saves_none_of_them(client, case, inspector, review):
    client.force_login(inspector)
    data = {"A1_1-value": "yes", "A1_1-version": 0, "A1_2-value": "perhaps", "A1_2-version": 0,
            "save": ""}  # fmt: skip

    response = client.post(page_url(case, "A1"), data)

    assert response.status_code == 200
    assert "Nothing on this page has been saved" in response.content.decode()
    assert not Answer.objects.exists()


def test_check_your_answers_lists_what_is_missing_and_refuses_to_submit(
    client, case, inspector, review
):
    client.force_login(inspector)

    check = client.get(reverse("casereview:check", args=[case.public_id])).content.decode()
    response = client.post(reverse("casereview:submit", args=[case.public_id]), follow=True)

    assert "still to give before you can submit" in check
    assert f'href="{page_url(case, "A1")}#question-A1_1"' in check
    assert "are missing" in response.content.decode()
    review.refresh_from_db()
    assert review.status == Review.Status.IN_PROGRESS


def test_a_complete_case_is_submitted_and_then_read_only(client, case, inspector, review):
    complete(review, inspector)
    client.force_login(inspector)

    response = client.post(reverse("casereview:submit", args=[case.public_id]))
    page = client.get(page_url(case, "A1")).content.decode()

    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == Review.Status.SUBMITTED
    assert "read-only" in page and 'name="A1_1-value"' not in page
    assert autosave(client, case, "A1.1", value="no", version=1).status_code == 403
    assert client.post(page_url(case, "A1"), {"A1_1-value": "no"}).status_code == 403
    assert Answer.objects.get(question__code="A1.1").value == "yes"


def test_the_form_page_makes_as_many_queries_with_every_answer_given(
    client, case, inspector, review
):
    client.force_login(inspector)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page_url(case, "A3")).status_code == 200
        return len(captured.captured_queries)

    queries()  # the first read of the framework is kept for the process
    empty = queries()
    complete(review, inspector)
    assert queries() == empty
