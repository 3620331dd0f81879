"""Who may do what (inspection.permissions), and every service and page following it.

The first test states the rules person by person; the others take each action through
the service or page that does it and check that it is allowed exactly when `may` says
so, so that a change to a rule is one edit there and these tests follow it.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from casereview.answers.examples import practice_example_decide
from casereview.answers.services import answer_save
from casereview.moderation.services import moderation_sample, moderation_save
from casereview.queries.services import query_close, query_raise
from casereview.workflow.services import review_transition
from inspection.permissions import Action, Tie, may, refused
from reports.services import narrative_save
from tests.security.world import VISITORS, world_in_rollback


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    yield from world_in_rollback(django_db_blocker, tmp_path_factory.mktemp("media"))


@pytest.fixture(autouse=True)
def each_test_from_the_same_world(db):
    """Run each test in a savepoint inside the world's transaction: it starts as built."""


def person(world, visitor):
    return world.person(visitor) or AnonymousUser()


TARGETS = {
    Action.VIEW_INSPECTION: lambda w: w.inspection,
    Action.MANAGE_SAMPLE: lambda w: w.inspection,
    Action.REVIEW_CASES: lambda w: w.inspection,
    Action.ANSWER: lambda w: w.draft.review,
    Action.QUERY: lambda w: w.submitted.review,
    Action.AGREE: lambda w: w.submitted.review,
    Action.DECIDE_EXAMPLE: lambda w: w.returned.review,
    Action.CHOOSE_MODERATION: lambda w: w.inspection,
    Action.MODERATE: lambda w: w.moderation,
    Action.REPORT: lambda w: w.inspection,
    Action.EXPORT: lambda w: w.inspection,
}

# For, in order: anonymous, outsider, other_inspector, inspector (allocated the cases),
# lead (the moderator of the returned case), writer, admin.
# fmt: off
RULES = {
    Action.VIEW_INSPECTION:   "- - Y Y Y Y Y",
    Action.MANAGE_SAMPLE:     "- - - - Y - Y",
    Action.REVIEW_CASES:      "- - - - Y - Y",
    Action.ANSWER:            "- - - Y - - -",
    Action.QUERY:             "- - - - Y - Y",
    Action.AGREE:             "- - - - Y - Y",
    Action.DECIDE_EXAMPLE:    "- - - - Y - Y",
    Action.CHOOSE_MODERATION: "- - - - Y - Y",
    Action.MODERATE:          "- - - - Y - -",
    Action.REPORT:            "- - - - Y Y Y",
    Action.EXPORT:            "- - - - Y Y Y",
}
# fmt: on


def test_every_action_has_its_rule_stated_here():
    assert set(RULES) == set(Action) == set(TARGETS)


@pytest.mark.parametrize("action", list(Action), ids=lambda a: a.name)
def test_who_may_take_each_action(world, action):
    target = TARGETS[action](world)
    allowed = " ".join("Y" if may(person(world, v), action, target) else "-" for v in VISITORS)

    assert allowed == RULES[action]


def test_a_lead_who_judged_in_a_case_is_refused_as_the_second_person(world):
    review = world.returned.review  # its moderation is the lead's
    assert may(world.lead, Action.AGREE, review)

    moderation_save(moderation=world.moderation, judgements={"A1": ("yes", "Reasons.")},
                    by=world.lead)  # fmt: skip

    assert refused(world.lead, Action.AGREE, review) is Tie.SECOND_PERSON
    assert may(world.admin, Action.AGREE, review)


def test_an_allocation_outlives_a_membership_taken_away_without_opening_the_case(world):
    world.inspector.memberships.all().delete()

    assert not may(world.inspector, Action.ANSWER, world.draft.review)


def _question(world, code):
    return world.framework.questions.get(code=code)


def _version(case, code):
    return case.review.answers.get(question__code=code).version


def outcome(do) -> bool:
    """Return whether `do()` was let through (its conditions may still refuse it after)."""
    try:
        do()
    except PermissionDenied:
        return False
    return True


SERVICES = {
    Action.ANSWER: lambda w, by: answer_save(
        review=w.draft.review,
        question=_question(w, "A1.1"),
        by=by,
        expected_version=_version(w.draft, "A1.1"),
        value="no",
    ),  # fmt: skip
    Action.QUERY: lambda w, by: query_raise(
        review=w.submitted.review, question=_question(w, "A1.1"), text="Why?", by=by
    ),
    Action.AGREE: lambda w, by: review_transition(
        review=w.submitted.review, to_status="agreed", by=by
    ),
    Action.DECIDE_EXAMPLE: lambda w, by: practice_example_decide(
        answer=w.returned.review.answers.get(question__code="A1S"),
        status="rejected",
        text="",
        by=by,
    ),  # fmt: skip
    Action.CHOOSE_MODERATION: lambda w, by: moderation_sample(
        inspection=w.inspection, per_inspector=1, by=by
    ),
    Action.MODERATE: lambda w, by: moderation_save(moderation=w.moderation, judgements={}, by=by),
    Action.REPORT: lambda w, by: narrative_save(inspection=w.inspection, by=by, summary="New."),
}


@pytest.mark.parametrize("visitor", VISITORS[1:])
@pytest.mark.parametrize("action", list(SERVICES), ids=lambda a: a.name)
def test_each_service_follows_the_rule(world, action, visitor):
    by = person(world, visitor)
    if action is Action.AGREE:  # its other condition: no query left open
        for query in world.submitted.review.queries.all():
            query_close(query=query, by=world.lead)
    expected = may(by, action, TARGETS[action](world))

    assert outcome(lambda: SERVICES[action](world, by)) == expected


PAGES = {
    Action.VIEW_INSPECTION: "inspection:detail",
    Action.MANAGE_SAMPLE: "inspection:case_add",
    Action.REVIEW_CASES: "casereview:dashboard",
    Action.EXPORT: "reports:export",
}


@pytest.mark.parametrize("visitor", VISITORS[1:])
@pytest.mark.parametrize("action", list(PAGES), ids=lambda a: a.name)
def test_each_page_follows_the_rule(client, world, action, visitor):
    client.force_login(world.person(visitor))
    response = client.get(reverse(PAGES[action], args=[world.inspection.public_id]))

    assert (response.status_code == 200) == may(world.person(visitor), action, world.inspection)
    assert response.status_code in (200, 403, 404)
