"""Save answers as they are given: one at a time, or a page's all or none."""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from casereview.answers.progress import review_state
from casereview.answers.selectors import review_answers
from casereview.answers.values import clean_text, display_value
from casereview.models import (
    Answer,
    AnswerChange,
    Review,
)
from config.bulk import Copy, copy_supported
from inspection.permissions import Action, check
from standards.models import Question
from standards.selectors import framework_questions

UNSET = object()


PARTS = ("value", "reasons", "practice", "practice_text")


class StaleAnswer(Exception):
    """The answer changed since the page that sent this save was loaded."""

    def __init__(self, answer: Answer | None):
        super().__init__("The answer changed since the page was loaded.")
        self.answer = answer

    @property
    def message(self) -> str:
        """Explain the refusal to the person, showing the newer answer."""
        if self.answer is None:
            return (
                "Not saved: this answer changed since you opened the page. "
                "Check it and answer again."
            )
        newer = display_value(self.answer.question, self.answer.value)
        return (
            f"Not saved: {self.answer.updated_by} changed this answer to “{newer}” at "
            f"{timezone.localtime(self.answer.updated_at):%H:%M} since you opened the page. "
            "Check it and answer again."
        )

    @property
    def newer_version(self) -> int:
        return self.answer.version if self.answer else 0


@dataclass(frozen=True)
class SaveResult:
    answer: Answer
    changed: bool
    applies: dict[str, bool]


@dataclass(frozen=True)
class GivenAnswer:
    """One answer a page sent: its question, the version the page showed, the parts given."""

    question: Question
    expected_version: int
    parts: dict


@dataclass(frozen=True)
class PageSave:
    """What became of a page's answers: none saved when there is any problem."""

    problems: dict[str, str]  # question code: why not saved
    newer_versions: dict[str, int]  # question code: the version a stale answer is now at


@transaction.atomic
def answer_save(
    *,
    review: Review,
    question: Question,
    by,
    expected_version: int,
    value=UNSET,
    reasons=UNSET,
    practice=UNSET,
    practice_text=UNSET,
) -> SaveResult:
    """Save the parts given of one answer, if it is still the version the page showed.

    A save that would change an answer someone else changed since the page was
    loaded is refused (StaleAnswer); one that changes nothing always succeeds.

    Values must already be cleaned (casereview.answers.clean_value). Every changed
    part is recorded with who, when, old and new. The review row is locked, so the
    saves of one review happen one at a time and none is lost.
    """
    review = (
        Review.objects.select_for_update()
        .select_related("case__inspection__framework_version")
        .get(pk=review.pk)
    )
    _check_editable(review, by)
    if question.framework_version_id != review.case.inspection.framework_version_id:
        raise ValidationError("That question is not in this inspection's framework.")
    parts = {
        "value": value,
        "reasons": reasons,
        "practice": practice,
        "practice_text": practice_text,
    }
    parts = {name: given for name, given in parts.items() if given is not UNSET}
    if question.kind != Question.Kind.SUMMARY and set(parts) - {"value"}:
        raise ValidationError("Only summary judgements have reasons and practice examples.")
    for name in ("reasons", "practice_text"):
        if name in parts:
            parts[name] = clean_text(parts[name] or "", what="the text") or ""
    if parts.get("practice", "") not in ("", *Answer.Practice.values):
        raise ValidationError("Select good practice, poor practice or neither.")

    answers = review_answers(review=review)  # read under the review's lock: current
    answer = answers.get(question.code) or Answer(review=review, question=question, updated_by=by)
    changes = [
        (name, getattr(answer, name), new)
        for name, new in parts.items()
        if getattr(answer, name) != new
    ]
    questions = framework_questions(version=review.case.inspection.framework_version)
    if not changes:
        # Saving what is already stored overwrites nothing, whatever version the page had
        # (a tab's own autosave and its Save button can cross).
        applies = review_state(questions, answers, review.case).applies
        return SaveResult(answer, False, applies)
    if answer.version != expected_version:
        raise StaleAnswer(answer if answer.pk else None)

    for name, _, new in changes:
        setattr(answer, name, new)
    answer.version += 1
    answer.updated_by = by
    answer.save()
    AnswerChange.objects.bulk_create(
        AnswerChange(review=review, question=question, part=name, old=old, new=new, changed_by=by)
        for name, old, new in changes
    )
    answers[question.code] = answer
    state = review_state(questions, answers, review.case)
    applies, by_section = state.applies, state.by_section
    review.progress = by_section
    review.started_at = review.started_at or timezone.now()
    review.save(update_fields=["progress", "started_at", "updated_at"])
    return SaveResult(answer, True, applies)


@transaction.atomic
def answers_save_all(
    *, review: Review, answers: list[GivenAnswer], by, problems: dict[str, str] | None = None
) -> PageSave:
    """Save every answer a page sent, or none of them.

    One refused (stale, or invalid), or already refused by its form (`problems`, by
    question code), and nothing is saved: the page shows them all again to correct.
    """
    problems = dict(problems or {})
    newer: dict[str, int] = {}
    for given in answers:
        code = given.question.code
        try:
            answer_save(
                review=review,
                question=given.question,
                by=by,
                expected_version=given.expected_version,
                **given.parts,
            )
        except StaleAnswer as stale:
            problems[code], newer[code] = stale.message, stale.newer_version
        except ValidationError as invalid:
            problems[code] = " ".join(invalid.messages)
    if problems:
        transaction.set_rollback(True)
    return PageSave(problems, newer)


def _check_editable(review: Review, by) -> None:
    # The views look cases up the same way; this is the second line, for every other caller.
    check(by, Action.ANSWER, review)
    if not review.is_editable:
        raise PermissionDenied(f"The review is {review.get_status_display().lower()}: read-only.")


def answers_store(*, rows: Iterable[tuple[int, int, str]], by) -> None:
    """Store imported answers given as (review id, question id, value as JSON text).

    The values were cleaned already by the rules the forms use (casereview.answers.values); the
    reviews are those reviews_store_agreed stored. COPY where the database has it.
    """
    fixed = {"version": 1, "updated_by_id": by.pk}
    if copy_supported():
        Copy(Answer, ("review_id", "question_id", "value"), fixed=fixed, now=timezone.now()).run(
            rows
        )
        return
    rows = iter(rows)
    while chunk := list(islice(rows, ANSWERS_CHUNK)):
        Answer.objects.bulk_create(
            Answer(review_id=review, question_id=question, value=json.loads(value), **fixed)
            for review, question, value in chunk
        )


ANSWERS_CHUNK = 50_000  # answers stored by one bulk_create where there is no COPY
