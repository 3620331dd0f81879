"""Good and poor practice examples flagged on judgements: deciding and listing them."""

from django.core.exceptions import ValidationError
from django.db import transaction

from casereview.answers.values import clean_text
from casereview.models import (
    Answer,
    PracticeExample,
    Review,
)
from inspection.permissions import Action, check


@transaction.atomic
def practice_example_decide(*, answer, status: str, text: str, by) -> PracticeExample:
    """Approve (with the text to publish, edited for anonymity) or reject a flagged example."""
    answer = Answer.objects.select_for_update().select_related("review__case").get(pk=answer.pk)
    check(by, Action.DECIDE_EXAMPLE, answer)
    if not answer.practice or not answer.practice_text:
        raise ValidationError("This judgement has no practice example.")
    if answer.review.status not in (
        Review.Status.SUBMITTED,
        Review.Status.RETURNED,
        Review.Status.AGREED,
    ):
        raise ValidationError("Examples are decided once the case is submitted.")
    if status not in PracticeExample.Status.values:
        raise ValidationError("Approve or reject the example.")
    text = clean_text(text or "", what="the example") or ""
    if status == PracticeExample.Status.APPROVED and not text:
        raise ValidationError("Enter the example as it may be published")
    example, _ = PracticeExample.objects.select_for_update().get_or_create(
        answer=answer, defaults={"status": status, "original": "", "text": "", "decided_by": by}
    )
    example.status, example.original, example.decided_by = status, answer.practice_text, by
    example.text = text if status == PracticeExample.Status.APPROVED else ""
    example.save()
    return example


def practice_examples(inspection, *, approved_only: bool = False) -> list[Answer]:
    """Return the flagged examples of the inspection's submitted cases, with any decision.

    With `approved_only`, only those approved on their current text: what reports may use.
    """
    answers = (
        Answer.objects.filter(
            review__case__inspection=inspection,
            review__status__in=["submitted", "returned", "agreed"],
        )
        .exclude(practice="")
        .exclude(practice_text="")
        .select_related("question__key_question", "review__case__allocated_to", "example")
        .order_by("question__position", "review__case__case_ref")
    )
    examples = list(answers)
    if approved_only:
        examples = [a for a in examples if _approved(a)]
    return examples


def _approved(answer: Answer) -> bool:
    example = getattr(answer, "example", None)
    return example is not None and example.status == "approved" and example.is_current
