"""Move reviews through the workflow: starting, submitting, the lead's moves, imports."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from casereview.answers.progress import review_state
from casereview.answers.selectors import review_answers
from casereview.answers.values import clean_text
from casereview.models import Query, Review, ReviewEvent
from casereview.queries.selectors import has_open_query
from casereview.workflow.moves import TRANSITIONS, SecondPersonRequired
from config.bulk import Copy, copy_supported, new_ids
from inspection.models import Case
from inspection.permissions import Tie, refused
from standards.selectors import framework_questions


def review_start(*, case: Case) -> Review:
    """Return the case's review, creating it the first time the case is opened."""
    review, _ = Review.objects.get_or_create(case=case)
    return review


def review_submit(*, review: Review, by) -> Review:
    """Submit a complete review (or resubmit a returned one) to the lead inspector."""
    return review_transition(review=review, to_status=Review.Status.SUBMITTED, by=by)


@transaction.atomic
def review_transition(*, review: Review, to_status: str, by, note: str = "") -> Review:
    """Move `review` to `to_status` if `by` may and its conditions hold; record the move."""
    review = (
        Review.objects.select_for_update()
        .select_related("case__inspection__framework_version")
        .get(pk=review.pk)
    )
    transition = TRANSITIONS.get((review.status, to_status))
    if transition is None:
        raise ValidationError(
            f"A {review.get_status_display().lower()} case cannot become "
            f"{Review.Status(to_status).label.lower()}."
        )
    why = refused(by, transition.action, review)
    if why is Tie.SECOND_PERSON:
        raise SecondPersonRequired(transition.name)
    if why is not None:
        raise PermissionDenied(f"Only {transition.action.who} may {transition.name} this case.")
    note = clean_text(note or "", what="the note") or ""
    if transition.note_missing and not note:
        raise ValidationError(transition.note_missing)
    _check_conditions(review, to_status)
    event = ReviewEvent(
        review=review, from_status=review.status, to_status=to_status, actor=by, note=note
    )
    review.status = to_status
    if to_status == Review.Status.SUBMITTED:
        review.submitted_at = timezone.now()
    review.save(update_fields=["status", "submitted_at", "updated_at"])
    event.save()
    return review


def _check_conditions(review: Review, to_status: str) -> None:
    queries = review.queries
    if to_status == Review.Status.SUBMITTED and review.status in (
        Review.Status.IN_PROGRESS,
        Review.Status.RETURNED,
    ):
        questions = framework_questions(version=review.case.inspection.framework_version)
        state = review_state(questions, review_answers(review=review), review.case)
        missing, by_section = state.missing, state.by_section
        if missing:
            raise ValidationError(
                f"{len(missing)} answer(s) or judgement(s) are missing: "
                + "; ".join(m.message for m in missing[:5])
            )
        review.progress = by_section
        review.save(update_fields=["progress"])
        if has_open_query(review=review):
            raise ValidationError(
                "Reply to every query from your lead inspector before resubmitting."
            )
    if to_status == Review.Status.RETURNED and not has_open_query(review=review):
        raise ValidationError(
            "Raise at least one query before returning the case to its inspector."
        )
    if to_status == Review.Status.AGREED and queries.exclude(status=Query.Status.CLOSED).exists():
        raise ValidationError("Close every query before agreeing the case.")


IMPORTED_NOTE = "Imported from a historical dataset."


def reviews_store_agreed(*, case_ids: list[int], by) -> list[int]:
    """Store an agreed review of each case in `case_ids`, imported by `by`; return their ids.

    For cases brought in whole from a historical dataset (reports.datasets): their
    judgements were agreed where they were made, so each review is agreed at once, its
    one event saying where it came from. COPY where the database has it.
    """
    now = timezone.now()
    agreed = {"status": Review.Status.AGREED, "started_at": now, "submitted_at": now}
    event = {
        "from_status": Review.Status.IN_PROGRESS,
        "to_status": Review.Status.AGREED,
        "actor_id": by.pk,
        "note": IMPORTED_NOTE,
    }
    if copy_supported():
        ids = new_ids(Review, len(case_ids))
        Copy(Review, ("id", "case_id"), fixed=agreed, now=now).run(zip(ids, case_ids, strict=True))
        Copy(ReviewEvent, ("review_id",), fixed=event, now=now).run((id_,) for id_ in ids)
        return ids
    reviews = Review.objects.bulk_create(Review(case_id=pk, **agreed) for pk in case_ids)
    ReviewEvent.objects.bulk_create(ReviewEvent(review=review, **event) for review in reviews)
    return [review.pk for review in reviews]
