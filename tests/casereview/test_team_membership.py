"""The services, not only the views, refuse someone whose allocation outlived their team place."""

import pytest
from django.core.exceptions import PermissionDenied

from casereview.answers.services import answer_save
from casereview.models import Answer, Moderation
from casereview.moderation.services import moderation_save
from casereview.workflow.services import review_start, review_submit
from inspection.models import Membership
from tests.casereview.helpers import complete


@pytest.fixture
def review(case):
    return review_start(case=case)


def leave_team(user):
    Membership.objects.filter(user=user).delete()


def test_an_inspector_taken_off_the_team_cannot_save_an_answer(review, case, inspector):
    question = case.inspection.framework_version.questions.get(code="A1.1")
    leave_team(inspector)

    with pytest.raises(PermissionDenied):
        answer_save(review=review, question=question, by=inspector, expected_version=0, value="no")

    assert not Answer.objects.filter(review=review).exists()


def test_an_inspector_taken_off_the_team_cannot_submit(review, inspector):
    complete(review, inspector)
    leave_team(inspector)

    with pytest.raises(PermissionDenied):
        review_submit(review=review, by=inspector)

    review.refresh_from_db()
    assert review.status == "in_progress"


def test_a_moderator_taken_off_the_team_cannot_judge(case, lead, other_inspector):
    moderation = Moderation.objects.create(case=case, moderator=other_inspector, assigned_by=lead)
    leave_team(other_inspector)

    with pytest.raises(PermissionDenied):
        moderation_save(moderation=moderation, judgements={"A1": ("yes", "")}, by=other_inspector)

    assert not moderation.judgements.exists()
