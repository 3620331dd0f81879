"""Read moderations: the cases that may be drawn, who may moderate, what is given to whom."""

from django.db.models import QuerySet

from casereview.models import Moderation, Review
from inspection.models import Case, Inspection
from inspection.permissions import Action, roles_for
from standards.models import KeyQuestion

MODERATED_STATUSES = [Review.Status.SUBMITTED, Review.Status.RETURNED, Review.Status.AGREED]


def eligible_cases(*, inspection: Inspection) -> QuerySet[Case]:
    """Return the cases whose review is submitted and that no one moderates yet."""
    return inspection.cases.filter(
        review__status__in=MODERATED_STATUSES, moderation__isnull=True
    ).select_related("allocated_to")


def possible_moderators(*, inspection: Inspection) -> list:
    return [
        m.user
        for m in inspection.memberships.filter(role__in=roles_for(Action.MODERATE))
        .select_related("user")
        .order_by("user__username")
    ]


def moderation_key_questions(*, moderation: Moderation) -> list[KeyQuestion]:
    return list(
        KeyQuestion.objects.filter(
            section__framework_version=moderation.case.inspection.framework_version,
            kind=KeyQuestion.Kind.KEY_QUESTION,
        ).order_by("position")
    )


def moderations_given_to(*, user) -> QuerySet[Moderation]:
    """Return the moderations given to `user` in the inspections where they still inspect."""
    return Moderation.objects.filter(
        moderator=user,
        case__inspection__memberships__user=user,
        case__inspection__memberships__role__in=roles_for(Action.MODERATE),
    )
