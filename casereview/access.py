"""Access helpers for the case review's aggregates: the object, or 404.

A case's review and a moderation are opened only by those the rule lets in
(inspection.permissions); to anyone else, member of the inspection or not, they do
not exist.
"""

from django.http import Http404

from casereview.models import Moderation, Review
from casereview.workflow.services import review_start
from inspection.models import Case
from inspection.permissions import Action, may


def case_for(user, action: Action, public_id) -> Case:
    """Return the case `public_id` if `user` may take `action` on it, else 404."""
    case = (
        Case.objects.select_related("inspection__framework_version", "allocated_to")
        .filter(public_id=public_id)
        .first()
    )
    if case is None or not may(user, action, case):
        raise Http404("No such case")
    return case


def review_for(user, action: Action, public_id) -> Review:
    """Return the review of the case `public_id` if `user` may take `action` on it, else 404.

    The review starts when the case's inspector first opens it to answer; anyone else
    finds no review of a case not started, and opening it to look creates none.
    """
    case = case_for(user, action, public_id)
    if action is Action.ANSWER:
        review = review_start(case=case)
    else:
        review = Review.objects.filter(case=case).first()
        if review is None:
            raise Http404("This case has not been started")
    review.case = case
    return review


def moderation_for(user, action: Action, public_id) -> Moderation:
    """Return the moderation `public_id` if `user` may take `action` on it, else 404."""
    moderation = (
        Moderation.objects.select_related("case__inspection__framework_version")
        .filter(public_id=public_id)
        .first()
    )
    if moderation is None or not may(user, action, moderation):
        raise Http404("No such moderation")
    return moderation
