"""Which moves a review may make and who may make them: the workflow's state machine.

The state machine is data (TRANSITIONS): each move's action (inspection.permissions
says who may take it), its name, the note it takes and whether it is the page's main
button. The pages ask review_moves() and moves_offered() what to offer (and
casereview.queries.selectors whether a query may be raised or answered);
casereview.workflow.services.review_transition makes a move, records it as a
ReviewEvent under a row lock, and refuses with a reason a person can act on. Agreeing a
case takes a second person (SECOND_PERSON_MOVES): nobody agrees judgements they gave or
changed themselves.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from casereview.models import Review
from casereview.queries.selectors import has_open_query
from casereview.workflow.selectors import reviews_judged_by
from inspection.permissions import Action, Tie, refused, roles_in

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
        if move.to != S.RETURNED or has_open_query(review=review)
    ]


def offered_move(review: Review, user, *, to: str) -> Move | None:
    """Return the move to `to` if the page offers it to `user` (withheld or not), else None."""
    return next((move for move in moves_offered(review, user) if move.to == to), None)


def allowed_moves(review: Review, user) -> list[tuple[str, str]]:
    """Return the (status, name) moves `user` may try from the review's current status."""
    return [(move.to, move.name) for move in review_moves(review, user) if not move.withheld]


def awaiting_second_person(user, reviews) -> set[int]:
    """Return the pks of `reviews` waiting for a move that `user`, who judged in them, may not make.

    One query for all of them, for lists such as the dashboard.
    """
    starts = {start for start, _ in SECOND_PERSON_MOVES}
    return set(
        reviews_judged_by(user=user)
        .filter(pk__in=reviews, status__in=starts)
        .order_by()  # the pks only: no join for the cases' ordering
        .values_list("pk", flat=True)
    )
