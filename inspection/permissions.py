"""Who may do what: every rule about people's roles is decided here and asked everywhere else.

A person's role comes from their membership of an inspection; an administrator is
treated as a lead of every inspection, but is nobody's inspector or moderator. Each
Action names the roles that may take it and, for some, the tie the person must have
to the object as well: the case allocated to them, the moderation given to them, or
no judgement of theirs in the case (agreeing locks judgements, so it takes a second
person).

`may(user, action, target)` answers for one object: an inspection, a case, or anything
of a case (a review, a moderation, an answer, a query). Views reach objects through
access helpers (`inspection_for` here, and one per aggregate in the apps above) that
return the object or raise 404 (the person may not know it exists) or 403 (a member
whose role does not allow it); services ask `may` again, or `check`, which raises the
refusal. Queries that list objects filter on `roles_for(action)`.
"""

import enum
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from inspection.models import Case, Inspection, Membership

ADMIN = "admin"  # what inspection_role() answers for a superuser: not a membership's role

# Named role groups: change who belongs to one here, and every rule using it follows.
MEMBERS = frozenset({*Membership.Role.values, ADMIN})
LEADS = frozenset({Membership.Role.LEAD, ADMIN})
CASE_WORKERS = frozenset({Membership.Role.INSPECTOR, Membership.Role.LEAD})
REPORTERS = frozenset({Membership.Role.LEAD, Membership.Role.WRITER, ADMIN})


ROLE = "role"  # refused(): the person's role does not allow the action


class Tie(enum.Enum):
    """What else, beyond a role, ties the person to the object."""

    NONE = "none"
    ALLOCATED = "the case is allocated to them"
    MODERATOR = "the moderation is given to them"
    SECOND_PERSON = "they gave or changed no judgement in the case"


class Action(enum.Enum):
    """(what it is, the roles that may, the tie needed, who may, said in a refusal)"""

    VIEW_INSPECTION = ("see the inspection", MEMBERS, Tie.NONE, "members of the inspection")
    MANAGE_SAMPLE = ("change the case sample", LEADS, Tie.NONE, "a lead inspector")
    REVIEW_CASES = ("review the inspection's cases", LEADS, Tie.NONE, "a lead inspector")
    ANSWER = (
        "answer the case's questions",
        CASE_WORKERS,
        Tie.ALLOCATED,
        "the inspector the case is allocated to",
    )
    QUERY = ("raise and close queries", LEADS, Tie.NONE, "a lead inspector")
    AGREE = ("agree the case", LEADS, Tie.SECOND_PERSON, "a lead inspector")
    DECIDE_EXAMPLE = ("decide on practice examples", LEADS, Tie.NONE, "a lead inspector")
    CHOOSE_MODERATION = ("choose the moderation sample", LEADS, Tie.NONE, "a lead inspector")
    MODERATE = ("judge the case again", CASE_WORKERS, Tie.MODERATOR, "the moderator of this case")
    REPORT = (
        "make reports",
        REPORTERS,
        Tie.NONE,
        "the inspection's report writers and leads",
    )
    EXPORT = (
        "export the dataset",
        REPORTERS,
        Tie.NONE,
        "the inspection's report writers and leads",
    )

    def __init__(self, what: str, roles: frozenset, tie: Tie, who: str):
        self.what, self.roles, self.tie, self.who = what, roles, tie, who

    @property
    def refusal(self) -> str:
        return f"Only {self.who} may {self.what}."


def roles_in(user, inspection: Inspection | int) -> frozenset[str]:
    """Return what `user` is in `inspection`: their membership's role, and ADMIN if they are one.

    Empty for someone who may not know the inspection exists.
    """
    if not user.is_authenticated:
        return frozenset()
    roles = set(
        Membership.objects.filter(
            inspection_id=getattr(inspection, "pk", inspection), user=user
        ).values_list("role", flat=True)
    )
    if user.is_superuser:
        roles.add(ADMIN)
    return frozenset(roles)


def inspection_role(user, inspection: Inspection | int) -> str | None:
    """Return the role to show `user` in `inspection`: ADMIN, a Membership.Role, or None."""
    roles = roles_in(user, inspection)
    return ADMIN if ADMIN in roles else next(iter(roles), None)


def roles_for(action: Action) -> list[str]:
    """Return the membership roles that may take `action`, for filtering querysets."""
    return sorted(role for role in action.roles if role != ADMIN)


def admins_may(action: Action) -> bool:
    """Return whether an administrator may take `action` in an inspection they are not in."""
    return ADMIN in action.roles


def inspections_where(user, action: Action) -> QuerySet[Inspection]:
    """Return the inspections in which `user`'s role lets them take `action` (ties aside)."""
    if user.is_superuser and admins_may(action):
        return Inspection.objects.all()
    return Inspection.objects.filter(
        memberships__user=user, memberships__role__in=roles_for(action)
    ).distinct()


def refused(user, action: Action, target, *, roles: frozenset[str] | None = None):
    """Return why `user` may not take `action` on `target`: ROLE, the Tie missing, or None.

    `target` is an inspection, a case or anything of a case; `roles` is roles_in() for its
    inspection, when the caller has it already.
    """
    case = _case_of(target)
    inspection_id = target.pk if isinstance(target, Inspection) else case.inspection_id
    roles = roles if roles is not None else roles_in(user, inspection_id)
    if not roles & action.roles:
        return ROLE
    if action.tie is Tie.ALLOCATED and (case is None or case.allocated_to_id != user.pk):
        return Tie.ALLOCATED
    if action.tie is Tie.MODERATOR and getattr(target, "moderator_id", None) != user.pk:
        return Tie.MODERATOR
    if action.tie is Tie.SECOND_PERSON:
        review = _review_of(target)
        if review is not None and review.judged_by(user):
            return Tie.SECOND_PERSON
    return None


def may(user, action: Action, target, *, roles: frozenset[str] | None = None) -> bool:
    """Return whether `user` may take `action` on `target` (an inspection, a case or its data)."""
    return refused(user, action, target, roles=roles) is None


def may_all(user, action: Action, inspections: Iterable[Inspection]) -> bool:
    """Return whether `user` may take `action` on every one of `inspections` (and there is one)."""
    inspections = list(inspections)
    return bool(inspections) and all(may(user, action, i) for i in inspections)


def check(user, action: Action, target) -> None:
    """Raise PermissionDenied, saying who may, unless `user` may take `action` on `target`."""
    if not may(user, action, target):
        raise PermissionDenied(action.refusal)


def inspection_for(user, action: Action, public_id) -> Inspection:
    """Return the inspection if `user` may take `action` on it; outsiders get 404, members 403."""
    inspection = Inspection.objects.filter(public_id=public_id).first()
    roles = roles_in(user, inspection) if inspection is not None else frozenset()
    if not roles:
        raise Http404("No such inspection")
    if not may(user, action, inspection, roles=roles):
        raise PermissionDenied(action.refusal)
    return inspection


def _case_of(target) -> Case | None:
    if isinstance(target, Inspection):
        return None
    if isinstance(target, Case):
        return target
    return _case_of(target.case if hasattr(target, "case") else target.review)


def _review_of(target):
    """Return the review of `target` (a case or what belongs to it): it knows who judged."""
    if hasattr(target, "judged_by"):
        return target
    if isinstance(target, Case):
        return getattr(target, "review", None)  # a case nobody has started has none
    return _review_of(target.review if hasattr(target, "review") else target.case)
