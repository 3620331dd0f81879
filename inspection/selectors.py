"""Read inspections and cases, always scoped to the person asking."""

from django.db.models import Count, Q, QuerySet

from inspection.models import Case, Inspection, Membership
from inspection.permissions import Action, inspections_where, roles_for


def inspections_visible_to(*, user) -> QuerySet[Inspection]:
    """Return the inspections `user` belongs to (admins: all of them)."""
    return inspections_where(user, Action.VIEW_INSPECTION)


def inspection_summaries(*, user) -> QuerySet[Inspection]:
    """Return `user`'s inspections with their case counts, in one query."""
    return inspections_visible_to(user=user).annotate(
        case_count=Count("cases", distinct=True),
        unallocated_count=Count("cases", filter=Q(cases__allocated_to=None), distinct=True),
    )


def allocatable_members(*, inspection: Inspection) -> QuerySet[Membership]:
    """Return the members of `inspection` who can be allocated cases."""
    return inspection.memberships.filter(role__in=roles_for(Action.ANSWER)).select_related("user")


def cases_allocated_to(*, user) -> QuerySet[Case]:
    """Return the cases allocated to `user` in the inspections where they still inspect.

    An allocation outlives a membership taken away (or never given) in the admin: it
    must not open the case then.
    """
    return Case.objects.filter(
        allocated_to=user,
        inspection__memberships__user=user,
        inspection__memberships__role__in=roles_for(Action.ANSWER),
    ).select_related("inspection")
