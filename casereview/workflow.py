"""Which moves a review may make, who may make them, and the queries that go with them.

The state machine is data (TRANSITIONS): each move's action (inspection.permissions
says who may take it), its name, the note it takes and whether it is the page's main
button. The pages ask review_moves(), query_may_be_raised() and query_awaits_reply()
what to offer; every move is recorded as a ReviewEvent under a row lock, and refused
with a reason a person can act on. Agreeing a case takes a second person
(SECOND_PERSON_MOVES): nobody agrees judgements they gave or changed themselves.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from casereview.answers import clean_text
from casereview.models import Answer, PracticeExample, Query, Review, ReviewEvent
from casereview.progress import review_state
from casereview.selectors import review_answers, reviews_judged_by
from inspection.permissions import Action, Tie, check, may, refused, roles_in
from standards.models import Question
from standards.selectors import framework_questions

S = Review.Status


@dataclass(frozen=True)
class Transition:
    action: Action  # who may make the move: inspection.permissions decides
    name: str  # what the move is called, in buttons and refusals
    note: str = ""  # the label of the note it takes ("" when it takes none)
    note_missing: str = ""  # the refusal when it needs a note and has none
    primary: bool = False  # the page's main button


TRANSITIONS = {
    (S.IN_PROGRESS, S.SUBMITTED): Transition(Action.ANSWER, "submit", primary=True),
    (S.RETURNED, S.SUBMITTED): Transition(Action.ANSWER, "resubmit", primary=True),
    (S.SUBMITTED, S.RETURNED): Transition(
        Action.REVIEW_CASES, "return to the inspector", note="Note to the inspector (optional)"
    ),
    (S.SUBMITTED, S.AGREED): Transition(Action.AGREE, "agree", primary=True),
    (S.AGREED, S.SUBMITTED): Transition(
        Action.REVIEW_CASES,
        "unlock",
        note="Reason for unlocking (required)",
        note_missing="Give the reason for unlocking the case.",
    ),
}
# Moves nobody may make in a case in which they gave or changed any judgement: those
# whose action takes a second person (agreeing locks the judgements). Unlocking does
# not: it only returns the case to submitted, from where agreeing it again does.
SECOND_PERSON_MOVES = {
    move for move, transition in TRANSITIONS.items() if transition.action.tie is Tie.SECOND_PERSON
}
# Queries are raised while the lead has the case, and answered while the inspector has it.
QUERYABLE = (S.SUBMITTED, S.RETURNED)


class SecondPersonRequired(PermissionDenied):
    """The move needs someone who gave or changed no judgement in the case."""

    def __init__(self, name: str):
        self.message = second_person_reason(name)
        self.messages = [self.message]  # read like a ValidationError's by the pages
        super().__init__(self.message)


@dataclass(frozen=True)
class Move:
    """A move a page offers: the status it leads to, how it is shown, and if it is withheld."""

    to: str
    name: str
    note: str
    note_required: bool
    primary: bool
    withheld: str  # why this person may not make it, or "" when they may

    @property
    def label(self) -> str:
        return self.name[:1].upper() + self.name[1:]


def second_person_reason(name: str) -> str:
    return (
        f"You gave or changed judgements in this case, so another lead inspector or an "
        f"administrator must {name} it."
    )


def review_moves(review: Review, user) -> list[Move]:
    """Return the moves `user`'s role allows from the review's status, each saying if withheld.

    A move is withheld from someone who judged in the case when it takes a second person.
    """
    roles = roles_in(user, review.case.inspection_id)
    moves = []
    for (start, to), transition in TRANSITIONS.items():
        if start != review.status:
            continue
        why = refused(user, transition.action, review, roles=roles)
        if why is None or why is Tie.SECOND_PERSON:
            withheld = second_person_reason(transition.name) if why else ""
            moves.append(
                Move(
                    to,
                    transition.name,
                    transition.note,
                    bool(transition.note_missing),
                    transition.primary,
                    withheld,
                )
            )
    return moves


def moves_offered(review: Review, user) -> list[Move]:
    """Return the moves a page offers `user`: returning the case only once a query is open."""
    return [
        move
        for move in review_moves(review, user)
        if move.to != S.RETURNED or _has_open_query(review)
    ]


def allowed_moves(review: Review, user) -> list[tuple[str, str]]:
    """Return the (status, name) moves `user` may try from the review's current status."""
    return [(move.to, move.name) for move in review_moves(review, user) if not move.withheld]


def query_may_be_raised(review: Review, user) -> bool:
    """Return whether `user` may raise a query on `review` now."""
    return review.status in QUERYABLE and may(user, Action.QUERY, review)


def query_awaits_reply(query: Query, review: Review) -> bool:
    """Return whether `query` waits for its inspector's reply (shown with a reply form)."""
    return review.status == S.RETURNED and query.status == Query.Status.OPEN


def awaiting_second_person(user, reviews) -> set[int]:
    """Return the pks of `reviews` waiting for a move that `user`, who judged in them, may not make.

    One query for all of them, for lists such as the dashboard.
    """
    starts = {start for start, _ in SECOND_PERSON_MOVES}
    return set(
        reviews_judged_by(user)
        .filter(pk__in=reviews, status__in=starts)
        .order_by()  # the pks only: no join for the cases' ordering
        .values_list("pk", flat=True)
    )


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
    if to_status == S.SUBMITTED:
        review.submitted_at = timezone.now()
    review.save(update_fields=["status", "submitted_at", "updated_at"])
    event.save()
    return review


def _has_open_query(review: Review) -> bool:
    return review.queries.filter(status=Query.Status.OPEN).exists()


def _check_conditions(review: Review, to_status: str) -> None:
    queries = review.queries
    if to_status == S.SUBMITTED and review.status in (S.IN_PROGRESS, S.RETURNED):
        questions = framework_questions(review.case.inspection.framework_version)
        state = review_state(questions, review_answers(review), review.case)
        missing, by_section = state.missing, state.by_section
        if missing:
            raise ValidationError(
                f"{len(missing)} answer(s) or judgement(s) are missing: "
                + "; ".join(m.message for m in missing[:5])
            )
        review.progress = by_section
        review.save(update_fields=["progress"])
        if _has_open_query(review):
            raise ValidationError(
                "Reply to every query from your lead inspector before resubmitting."
            )
    if to_status == S.RETURNED and not _has_open_query(review):
        raise ValidationError(
            "Raise at least one query before returning the case to its inspector."
        )
    if to_status == S.AGREED and queries.exclude(status=Query.Status.CLOSED).exists():
        raise ValidationError("Close every query before agreeing the case.")


@transaction.atomic
def query_raise(*, review: Review, question: Question, text: str, by) -> Query:
    """Raise a lead inspector's query on one answer or judgement of a submitted case."""
    review = Review.objects.select_for_update().select_related("case__inspection").get(pk=review.pk)
    check(by, Action.QUERY, review)
    if review.status not in QUERYABLE:
        raise ValidationError("Queries are raised on submitted cases.")
    if question.framework_version_id != review.case.inspection.framework_version_id:
        raise ValidationError("That question is not in this inspection's framework.")
    text = clean_text(text or "", what="the query")
    if not text:
        raise ValidationError("Enter your query")
    query = Query(review=review, question=question, text=text, raised_by=by)
    query.full_clean(exclude=["review", "question", "raised_by"])
    query.save()
    return query


@transaction.atomic
def query_reply(*, query: Query, text: str, by) -> Query:
    """Record the inspector's reply to an open query on their returned case."""
    query = Query.objects.select_for_update().select_related("review__case").get(pk=query.pk)
    check(by, Action.ANSWER, query)
    if query.review.status != S.RETURNED or query.status == Query.Status.CLOSED:
        raise ValidationError("This query is no longer waiting for a reply.")
    text = clean_text(text or "", what="your reply")
    if not text:
        raise ValidationError("Enter your reply")
    query.reply, query.replied_by, query.replied_at = text, by, timezone.now()
    query.status = Query.Status.ANSWERED
    query.save()
    return query


@transaction.atomic
def query_close(*, query: Query, by) -> Query:
    """Close a query (answered, or withdrawn while open) as a lead inspector."""
    query = Query.objects.select_for_update().select_related("review__case").get(pk=query.pk)
    check(by, Action.QUERY, query)
    if query.status == Query.Status.CLOSED:
        return query
    query.status, query.closed_by, query.closed_at = Query.Status.CLOSED, by, timezone.now()
    query.save()
    return query


@transaction.atomic
def practice_example_decide(*, answer, status: str, text: str, by) -> PracticeExample:
    """Approve (with the text to publish, edited for anonymity) or reject a flagged example."""
    answer = Answer.objects.select_for_update().select_related("review__case").get(pk=answer.pk)
    check(by, Action.DECIDE_EXAMPLE, answer)
    if not answer.practice or not answer.practice_text:
        raise ValidationError("This judgement has no practice example.")
    if answer.review.status not in (S.SUBMITTED, S.RETURNED, S.AGREED):
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
