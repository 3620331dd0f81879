"""Nobody agrees a case in which they gave or changed any judgement: another lead or an admin must.

"Judged" is one rule (casereview.models.ReviewQuerySet.judged_by): an answer or summary
judgement written or changed (its history or its current writer), or a judgement of
the case's blind second review. The services refuse, the pages do not offer the move
and say why, and the dashboard marks the cases only another lead can agree.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casereview.answers.services import answer_save
from casereview.dashboard.selectors import grid
from casereview.models import Answer, Moderation, Review, ReviewEvent
from casereview.moderation.services import moderation_save
from casereview.workflow.moves import allowed_moves
from casereview.workflow.services import review_start, review_transition
from inspection.models import Membership
from inspection.services import membership_set
from tests.conftest import member
from tests.factories import CaseFactory
from tests.security.world import changed_tables, snapshot

S = Review.Status
REASON = (
    "You gave or changed judgements in this case, so another lead inspector or an administrator "
    "must agree it."
)


@pytest.fixture
def second_lead(inspection):
    return member(inspection, "lead2", "lead")


def question(inspection, code):
    return inspection.framework_version.questions.get(code=code)


def set_status(review, status):
    Review.objects.filter(pk=review.pk).update(status=status)
    review.refresh_from_db()
    return review


def submitted_case(inspection, inspector, *, judged_by_too=None):
    """Return a submitted case's review with the A1 judgement by `inspector`.

    With `judged_by_too`, that person (a lead who also reads cases) changed the
    judgement while the case was theirs; the inspector then set it back, so the lead's
    part shows only in the answer's history.
    """
    case = CaseFactory(inspection=inspection, allocated_to=inspector)
    review = review_start(case=case)
    a1s = question(inspection, "A1S")
    answer_save(review=review, question=a1s, by=inspector, expected_version=0, value="yes",
                reasons="Enough.")  # fmt: skip
    if judged_by_too:
        case.allocated_to = judged_by_too
        case.save()
        answer_save(review=review, question=a1s, by=judged_by_too, expected_version=1,
                    value="no")  # fmt: skip
        case.allocated_to = inspector
        case.save()
        answer_save(review=review, question=a1s, by=inspector, expected_version=2, value="yes")
    # Completeness is the submit move's business (tests/casereview/test_workflow.py).
    return set_status(review, S.SUBMITTED)


def moderated_by(review, moderator, lead):
    moderation = Moderation.objects.create(case=review.case, moderator=moderator, assigned_by=lead)
    moderation_save(moderation=moderation, judgements={"A1": ("no", "Thin.")}, by=moderator)


# The rule


def test_a_lead_who_changed_a_judgement_cannot_agree_the_case_and_is_told_why(
    inspection, inspector, lead
):
    review = submitted_case(inspection, inspector, judged_by_too=lead)
    assert Answer.objects.get(review=review).updated_by == inspector  # only the history says so

    with pytest.raises(PermissionDenied, match=REASON):
        review_transition(review=review, to_status=S.AGREED, by=lead)

    review.refresh_from_db()
    assert review.status == S.SUBMITTED
    assert not ReviewEvent.objects.filter(review=review).exists()


def test_a_lead_who_last_wrote_an_answer_cannot_agree_it(inspection, inspector, lead):
    # An answer whose history is not in this database (the dataset import writes one row).
    review = submitted_case(inspection, inspector)
    Answer.objects.filter(review=review).update(updated_by=lead)
    review.changes.all().delete()

    with pytest.raises(PermissionDenied, match=REASON):
        review_transition(review=review, to_status=S.AGREED, by=lead)


def test_a_lead_who_gave_the_blind_second_review_cannot_agree(inspection, inspector, lead,
                                                              second_lead):  # fmt: skip
    review = submitted_case(inspection, inspector)
    moderated_by(review, lead, second_lead)

    with pytest.raises(PermissionDenied, match=REASON):
        review_transition(review=review, to_status=S.AGREED, by=lead)
    assert review.judged_by(lead) and not review.judged_by(second_lead)


def test_a_second_lead_who_did_not_judge_agrees(inspection, inspector, lead, second_lead):
    review = submitted_case(inspection, inspector, judged_by_too=lead)
    moderated_by(review, lead, second_lead)

    review_transition(review=review, to_status=S.AGREED, by=second_lead)

    review.refresh_from_db()
    assert review.status == S.AGREED
    assert review.events.get().actor == second_lead


def test_an_admin_who_did_not_judge_agrees(inspection, inspector, lead, admin_user):
    review = submitted_case(inspection, inspector, judged_by_too=lead)

    review_transition(review=review, to_status=S.AGREED, by=admin_user)

    review.refresh_from_db()
    assert review.status == S.AGREED


def test_the_rule_holds_for_an_admin_too(inspection, inspector, admin_user):
    review = submitted_case(inspection, inspector)
    Answer.objects.filter(review=review).update(updated_by=admin_user)

    with pytest.raises(PermissionDenied, match=REASON):
        review_transition(review=review, to_status=S.AGREED, by=admin_user)


def test_the_lead_who_judged_is_not_offered_agree_but_may_return_and_unlock(
    inspection, inspector, lead, second_lead
):
    review = submitted_case(inspection, inspector, judged_by_too=lead)

    assert [name for _, name in allowed_moves(review, lead)] == ["return to the inspector"]
    assert [name for _, name in allowed_moves(review, second_lead)] == [
        "return to the inspector", "agree",
    ]  # fmt: skip
    review_transition(review=review, to_status=S.AGREED, by=second_lead)
    # Unlocking only returns the case to submitted, where agreeing again takes someone else.
    review_transition(review=review, to_status=S.SUBMITTED, by=lead, note="A1 needs a look.")
    review.refresh_from_db()
    assert review.status == S.SUBMITTED


def test_an_inspector_who_is_not_a_lead_is_refused_for_their_role_first(inspection, inspector):
    review = submitted_case(inspection, inspector)

    with pytest.raises(PermissionDenied, match="Only a lead inspector may agree"):
        review_transition(review=review, to_status=S.AGREED, by=inspector)


# Several leads


def test_an_inspection_may_have_several_leads(inspection, inspector, lead, second_lead):
    third = member(inspection, "lead3", "inspector")
    membership_set(inspection=inspection, user=third, role=Membership.Role.LEAD, by=lead)

    leads = inspection.memberships.filter(role=Membership.Role.LEAD)
    assert sorted(leads.values_list("user__username", flat=True)) == ["lead", "lead2", "lead3"]
    review = submitted_case(inspection, inspector)
    for person in (lead, second_lead, third):
        assert ("agreed", "agree") in allowed_moves(review, person)


def lead_page(client, user, review):
    client.force_login(user)
    return client.get(reverse("casereview:lead", args=[review.case.public_id])).content.decode()


AGREE_BUTTON = '<input type="hidden" name="to" value="agreed"'


def test_the_case_page_offers_agree_only_to_the_lead_who_did_not_judge_and_says_why(
    client, inspection, inspector, lead, second_lead
):
    review = submitted_case(inspection, inspector, judged_by_too=lead)

    first = lead_page(client, lead, review)
    second = lead_page(client, second_lead, review)

    assert AGREE_BUTTON not in first and ">Agree</button>" not in first
    assert f'<div class="govuk-inset-text" id="withheld-1">{REASON}</div>' in first
    assert AGREE_BUTTON in second and ">Agree</button>" in second
    assert REASON not in second


def test_a_forged_agree_by_the_lead_who_judged_is_refused_and_changes_nothing(
    client, inspection, inspector, lead
):
    review = submitted_case(inspection, inspector, judged_by_too=lead)
    client.force_login(lead)
    before = snapshot()

    response = client.post(reverse("casereview:move", args=[review.case.public_id]),
                           {"to": "agreed"}, follow=True)  # fmt: skip

    assert response.status_code == 200
    assert REASON in response.content.decode()  # the reason, on the case page
    assert changed_tables(before, snapshot()) == []
    review.refresh_from_db()
    assert review.status == S.SUBMITTED


def dashboard(client, user, inspection):
    client.force_login(user)
    url = reverse("casereview:dashboard", args=[inspection.public_id])
    return client.get(url).content.decode()


def test_the_dashboard_marks_the_cases_only_another_lead_can_agree(
    client, inspection, inspector, lead, second_lead
):
    judged = submitted_case(inspection, inspector, judged_by_too=lead)
    moderated = submitted_case(inspection, inspector)
    moderated_by(moderated, lead, second_lead)
    untouched = submitted_case(inspection, inspector)

    first = dashboard(client, lead, inspection)
    second = dashboard(client, second_lead, inspection)

    assert "2 submitted cases can only be agreed by another lead inspector" in first
    assert first.count("Another lead must agree") == 4  # in the banner and in the grid
    _, rows = grid(inspection=inspection, cases=inspection.cases.all(), viewer=lead)
    marked = {row.case.case_ref for row in rows if row.awaits_another_lead}
    assert marked == {judged.case.case_ref, moderated.case.case_ref}
    assert untouched.case.case_ref not in marked
    assert "Another lead must agree" not in second and "can only be agreed" not in second


def test_an_agreed_case_is_not_marked(client, inspection, inspector, lead, second_lead):
    review = submitted_case(inspection, inspector, judged_by_too=lead)
    review_transition(review=review, to_status=S.AGREED, by=second_lead)

    assert "Another lead must agree" not in dashboard(client, lead, inspection)


def test_the_dashboard_asks_once_for_all_its_rows(inspection, inspector, lead):
    def queries_for_the_grid():
        with CaptureQueriesContext(connection) as captured:
            grid(inspection=inspection, cases=inspection.cases.all(), viewer=lead)
        return len(captured)

    submitted_case(inspection, inspector, judged_by_too=lead)
    one = queries_for_the_grid()
    for _ in range(3):
        submitted_case(inspection, inspector, judged_by_too=lead)
        submitted_case(inspection, inspector)

    assert queries_for_the_grid() == one
