"""Saving answers as they are given: versions, stale saves refused, history, submitting."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from casereview.answers.services import (
    GivenAnswer,
    PageSave,
    StaleAnswer,
    answer_save,
    answers_save_all,
)
from casereview.models import Answer, AnswerChange, Review
from casereview.workflow.services import review_start, review_submit
from standards.models import Question
from standards.services import framework_load_file
from tests.casereview.helpers import complete


@pytest.fixture
def review(case):
    return review_start(case=case)


def q(framework, code) -> Question:
    return framework.questions.get(code=code)


def test_an_answer_is_saved_with_its_history(review, framework, inspector):
    result = answer_save(
        review=review, question=q(framework, "A1.1"), by=inspector, expected_version=0, value="yes"
    )
    answer_save(
        review=review, question=q(framework, "A1.1"), by=inspector, expected_version=1, value="no"
    )

    answer = Answer.objects.get(review=review, question__code="A1.1")
    assert result.changed and (answer.value, answer.version) == ("no", 2)
    assert list(AnswerChange.objects.values_list("part", "old", "new", "changed_by")) == [
        ("value", None, "yes", inspector.pk),
        ("value", "yes", "no", inspector.pk),
    ]
    review.refresh_from_db()
    assert review.started_at is not None
    assert review.progress["A"] == "in_progress"


def test_saving_the_same_value_again_changes_nothing(review, framework, inspector):
    answer_save(review=review, question=q(framework, "A1.1"), by=inspector, expected_version=0,
                value="yes")  # fmt: skip

    result = answer_save(review=review, question=q(framework, "A1.1"), by=inspector,
                         expected_version=1, value="yes")  # fmt: skip

    assert not result.changed
    assert Answer.objects.get().version == 1
    assert AnswerChange.objects.count() == 1


def test_a_save_over_a_newer_answer_is_refused_with_the_newer_value(review, framework, inspector):
    # Two tabs loaded the page before any answer: the first saves, the second is stale.
    answer_save(review=review, question=q(framework, "A1.1"), by=inspector, expected_version=0,
                value="yes")  # fmt: skip

    with pytest.raises(StaleAnswer) as refused:
        answer_save(review=review, question=q(framework, "A1.1"), by=inspector,
                    expected_version=0, value="no")  # fmt: skip

    assert refused.value.answer.value == "yes"
    assert Answer.objects.get().value == "yes"
    assert AnswerChange.objects.count() == 1


def test_saving_what_is_already_stored_succeeds_whatever_the_version(review, framework, inspector):
    # A tab's own autosave and its Save button can cross: the second carries an
    # older version but the same answer, and overwrites nothing.
    answer_save(review=review, question=q(framework, "A1.1"), by=inspector, expected_version=0,
                value="yes")  # fmt: skip

    result = answer_save(review=review, question=q(framework, "A1.1"), by=inspector,
                         expected_version=0, value="yes")  # fmt: skip

    assert not result.changed
    assert Answer.objects.get().version == 1


def test_only_the_allocated_inspector_may_save(review, framework, other_inspector, lead):
    for person in (other_inspector, lead):
        with pytest.raises(PermissionDenied):
            answer_save(review=review, question=q(framework, "A1.1"), by=person,
                        expected_version=0, value="yes")  # fmt: skip
    assert not Answer.objects.exists()


def test_reasons_belong_to_summary_judgements_only(review, framework, inspector):
    with pytest.raises(ValidationError, match="Only summary judgements"):
        answer_save(review=review, question=q(framework, "A1.1"), by=inspector,
                    expected_version=0, reasons="Because")  # fmt: skip

    answer_save(review=review, question=q(framework, "A1S"), by=inspector, expected_version=0,
                value="yes", reasons="Thorough assessment.", practice="good",
                practice_text="Clear analysis of motivation.")  # fmt: skip

    summary = Answer.objects.get(question__code="A1S")
    assert (summary.reasons, summary.practice) == ("Thorough assessment.", "good")
    assert AnswerChange.objects.filter(question__code="A1S").count() == 4


def test_a_question_of_another_framework_version_is_refused(review, inspector, framework_copy):
    framework_copy.write_text(
        framework_copy.read_text(encoding="utf-8").replace('version: "2018.1"', 'version: "2.0"'),
        encoding="utf-8",
    )
    other = framework_load_file(path=framework_copy).version

    with pytest.raises(ValidationError, match="not in this inspection's framework"):
        answer_save(review=review, question=q(other, "A1.1"), by=inspector, expected_version=0,
                    value="yes")  # fmt: skip
    assert not Answer.objects.exists()


def test_submitting_is_refused_until_every_applicable_answer_is_there(review, framework, inspector):
    answer_save(review=review, question=q(framework, "A1.1"), by=inspector, expected_version=0,
                value="yes")  # fmt: skip

    with pytest.raises(ValidationError, match="missing"):
        review_submit(review=review, by=inspector)

    review.refresh_from_db()
    assert review.status == Review.Status.IN_PROGRESS


def test_a_complete_review_is_submitted_and_becomes_read_only(review, framework, inspector):
    complete(review, inspector)

    review_submit(review=review, by=inspector)

    review.refresh_from_db()
    assert review.status == Review.Status.SUBMITTED and review.submitted_at
    assert set(review.progress.values()) == {"complete"}
    with pytest.raises(PermissionDenied, match="read-only"):
        answer_save(review=review, question=q(framework, "A1.1"), by=inspector,
                    expected_version=1, value="no")  # fmt: skip


def test_a_community_case_is_complete_without_post_custody_or_victim_questions(
    review, framework, inspector
):
    complete(review, inspector, **{"A3.15": "no", "A3.6": "no", "A3.5": "no"})

    codes = set(Answer.objects.values_list("question__code", flat=True))
    assert {"I15.4", "D1.4", "A3.7", "P3.5", "P3.6", "V3.1", "V4S"}.isdisjoint(codes)
    assert "A0.1" in codes
    review_submit(review=review, by=inspector)


# A page saved without JavaScript: every answer it sent, or none


def given(framework, code, version, **parts):
    return GivenAnswer(q(framework, code), version, parts)


def test_a_page_saves_every_answer_it_sent(review, framework, inspector):
    saved = answers_save_all(review=review, by=inspector, answers=[
        given(framework, "A1.1", 0, value="yes"), given(framework, "A1.2", 0, value="no"),
    ])  # fmt: skip

    assert saved == PageSave(problems={}, newer_versions={})
    assert dict(Answer.objects.values_list("question__code", "value")) == {
        "A1.1": "yes", "A1.2": "no",
    }  # fmt: skip


def test_one_stale_answer_saves_none_of_the_page_and_says_which(review, framework, inspector):
    answer_save(review=review, question=q(framework, "A1.2"), by=inspector, expected_version=0,
                value="yes")  # fmt: skip

    saved = answers_save_all(review=review, by=inspector, answers=[
        given(framework, "A1.1", 0, value="yes"), given(framework, "A1.2", 0, value="no"),
    ])  # fmt: skip

    assert list(saved.problems) == ["A1.2"]
    assert saved.problems["A1.2"].startswith("Not saved:") and "“Yes”" in saved.problems["A1.2"]
    assert saved.newer_versions == {"A1.2": 1}
    assert dict(Answer.objects.values_list("question__code", "value")) == {"A1.2": "yes"}


def test_an_answer_its_form_refused_saves_none_of_the_page(review, framework, inspector):
    saved = answers_save_all(review=review, by=inspector,
                             answers=[given(framework, "A1.1", 0, value="yes")],
                             problems={"A1.2": "Select Yes or No"})  # fmt: skip

    assert saved.problems == {"A1.2": "Select Yes or No"}
    assert not Answer.objects.exists()
