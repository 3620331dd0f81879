"""The case's state machine, queries, locking and unlocking, and who may do what."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from casereview.answers.services import answer_save
from casereview.models import Answer, Query, Review, ReviewEvent
from casereview.queries.selectors import query_awaits_reply, query_may_be_raised
from casereview.queries.services import query_close, query_raise, query_reply
from casereview.workflow.moves import TRANSITIONS, allowed_moves, moves_offered
from casereview.workflow.services import review_start, review_submit, review_transition
from inspection.permissions import may
from tests.casereview.helpers import complete

S = Review.Status


@pytest.fixture
def review(case):
    return review_start(case=case)


@pytest.fixture
def submitted(review, inspector):
    complete(review, inspector)
    return review_submit(review=review, by=inspector)


def a11(review):
    return review.case.inspection.framework_version.questions.get(code="A1.1")


def set_status(review, status):
    Review.objects.filter(pk=review.pk).update(status=status)
    review.refresh_from_db()
    return review


ALL_MOVES = [(start, to) for start in S.values for to in S.values if start != to]


@pytest.mark.parametrize(("start", "to"), ALL_MOVES)
@pytest.mark.parametrize("person", ["inspector", "lead", "other_inspector", "writer", "outsider"])
def test_the_state_machine_lets_only_the_right_person_make_each_move(
    review, start, to, person, request
):
    user = request.getfixturevalue(person)
    set_status(review, start)
    move = TRANSITIONS.get((start, to))
    # Who may make it is inspection.permissions' to say (tested there, person by person).
    permitted = move is not None and may(user, move.action, review)

    try:
        review_transition(review=review, to_status=to, by=user, note="Reason.")
    except PermissionDenied:
        assert move is not None and not permitted  # a real move, the wrong person
    except ValidationError:
        # not a move at all, or the right person with its conditions unmet (an
        # incomplete case cannot be submitted; nothing to return without a query)
        assert move is None or permitted
    else:
        assert permitted
        assert review.events.get().to_status == to
        return
    review.refresh_from_db()
    assert review.status == start
    assert not ReviewEvent.objects.exists()


def test_a_lead_queries_and_returns_the_inspector_replies_and_resubmits(submitted, inspector, lead):
    query = query_raise(review=submitted, question=a11(submitted), text="Where is the evidence?",
                        by=lead)  # fmt: skip
    review_transition(review=submitted, to_status=S.RETURNED, by=lead)

    with pytest.raises(ValidationError, match="Reply to every query"):
        review_submit(review=submitted, by=inspector)
    answer = Answer.objects.get(review=submitted, question__code="A1.1")
    answer_save(review=submitted, question=a11(submitted), by=inspector,
                expected_version=answer.version, value="no")  # fmt: skip
    query_reply(query=query, text="Changed to No: the assessment was thin.", by=inspector)
    review_submit(review=submitted, by=inspector)

    query.refresh_from_db()
    assert query.status == Query.Status.ANSWERED and query.replied_by == inspector
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED
    assert list(submitted.events.values_list("from_status", "to_status", "actor")) == [
        (S.IN_PROGRESS, S.SUBMITTED, inspector.pk),
        (S.SUBMITTED, S.RETURNED, lead.pk),
        (S.RETURNED, S.SUBMITTED, inspector.pk),
    ]


def test_returning_needs_an_open_query(submitted, lead):
    with pytest.raises(ValidationError, match="Raise at least one query"):
        review_transition(review=submitted, to_status=S.RETURNED, by=lead)


def test_agreeing_needs_every_query_closed_and_locks_the_case(submitted, inspector, lead):
    query = query_raise(review=submitted, question=a11(submitted), text="Check.", by=lead)
    with pytest.raises(ValidationError, match="Close every query"):
        review_transition(review=submitted, to_status=S.AGREED, by=lead)

    query_close(query=query, by=lead)
    review_transition(review=submitted, to_status=S.AGREED, by=lead)

    submitted.refresh_from_db()
    assert submitted.status == S.AGREED and not submitted.is_editable
    with pytest.raises(PermissionDenied):
        answer_save(review=submitted, question=a11(submitted), by=inspector, expected_version=1,
                    value="no")  # fmt: skip


def test_only_the_lead_unlocks_and_the_reason_is_recorded(submitted, inspector, lead):
    review_transition(review=submitted, to_status=S.AGREED, by=lead)

    with pytest.raises(PermissionDenied, match="Only a lead inspector may unlock"):
        review_transition(review=submitted, to_status=S.SUBMITTED, by=inspector)
    with pytest.raises(ValidationError, match="reason for unlocking"):
        review_transition(review=submitted, to_status=S.SUBMITTED, by=lead)
    review_transition(review=submitted, to_status=S.SUBMITTED, by=lead,
                      note="A2 judgement needs a second look.")  # fmt: skip

    last = submitted.events.last()
    assert (last.from_status, last.to_status, last.actor, last.note) == (
        S.AGREED, S.SUBMITTED, lead, "A2 judgement needs a second look.",
    )  # fmt: skip


def test_queries_are_raised_by_leads_only_and_on_submitted_cases(review, submitted, inspector,
                                                                  outsider):  # fmt: skip
    with pytest.raises(PermissionDenied):
        query_raise(review=submitted, question=a11(submitted), text="?", by=inspector)
    with pytest.raises(PermissionDenied):
        query_raise(review=submitted, question=a11(submitted), text="?", by=outsider)
    assert not Query.objects.exists()


def test_a_lead_of_another_inspection_can_do_nothing(submitted, outsider):
    for to in (S.RETURNED, S.AGREED):
        with pytest.raises(PermissionDenied):
            review_transition(review=submitted, to_status=to, by=outsider)
    assert allowed_moves(submitted, outsider) == []


def test_allowed_moves_offer_each_person_their_own(submitted, inspector, lead):
    assert allowed_moves(submitted, inspector) == []
    assert [name for _, name in allowed_moves(submitted, lead)] == [
        "return to the inspector", "agree",
    ]  # fmt: skip


# What the pages are told they may offer


def test_the_moves_say_how_the_page_shows_them(submitted, lead):
    query_raise(review=submitted, question=a11(submitted), text="Why?", by=lead)

    moves = {move.to: move for move in moves_offered(submitted, lead)}

    assert list(moves) == [S.RETURNED, S.AGREED]
    assert (moves[S.AGREED].label, moves[S.AGREED].primary, moves[S.AGREED].note) == (
        "Agree", True, "",
    )  # fmt: skip
    assert moves[S.RETURNED].label == "Return to the inspector"
    assert moves[S.RETURNED].note and not moves[S.RETURNED].note_required
    assert not moves[S.RETURNED].primary


def test_returning_is_offered_only_once_a_query_is_open(submitted, lead):
    assert [move.to for move in moves_offered(submitted, lead)] == [S.AGREED]


def test_unlocking_asks_for_its_reason(submitted, lead):
    review_transition(review=submitted, to_status=S.AGREED, by=lead)
    submitted.refresh_from_db()

    (unlock,) = moves_offered(submitted, lead)

    assert (unlock.to, unlock.label, unlock.note_required) == (S.SUBMITTED, "Unlock", True)
    with pytest.raises(ValidationError, match="reason for unlocking"):
        review_transition(review=submitted, to_status=S.SUBMITTED, by=lead, note="  ")


def test_queries_are_raised_while_the_lead_has_the_case(review, submitted, lead, inspector):
    assert query_may_be_raised(review=submitted, user=lead)
    assert not query_may_be_raised(review=submitted, user=inspector)
    set_status(submitted, S.AGREED)
    assert not query_may_be_raised(review=submitted, user=lead)


def test_a_query_awaits_its_reply_while_the_case_is_returned(submitted, lead):
    query = query_raise(review=submitted, question=a11(submitted), text="Why?", by=lead)
    assert not query_awaits_reply(query=query, review=submitted)

    review_transition(review=submitted, to_status=S.RETURNED, by=lead)
    submitted.refresh_from_db()
    assert query_awaits_reply(query=query, review=submitted)
