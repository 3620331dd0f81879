"""Moderation: drawing a sample of cases for a blind second review of their key questions,
giving each to a moderator, and saving the moderator's judgements.

How far the two reviews agree is casereview.moderation.agreement.
"""

import random
import uuid
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from casereview.answers.values import clean_text
from casereview.models import Moderation, ModerationJudgement, Review
from casereview.moderation.selectors import (
    eligible_cases,
    moderation_key_questions,
    possible_moderators,
)
from inspection.models import Inspection
from inspection.permissions import Action, check, roles_for


def _chosen_by(inspection: Inspection, request_id) -> list[Moderation] | None:
    """Return what the submission `request_id` chose already, or None if it chose nothing.

    Called under the inspection's row lock: the same submission sent twice (a double
    click, a browser resending) waits for the first, then finds what it chose.
    """
    if request_id is None:
        return None
    chosen = list(Moderation.objects.filter(case__inspection=inspection, request_id=request_id))
    return chosen or None


@transaction.atomic
def moderation_assign(
    *, inspection: Inspection, cases, moderator, by, request_id: uuid.UUID | None = None
) -> list[Moderation]:
    """Give `cases` to `moderator` for a blind second review, once per submission."""
    check(by, Action.CHOOSE_MODERATION, inspection)
    Inspection.objects.select_for_update().get(pk=inspection.pk)
    if (chosen := _chosen_by(inspection, request_id)) is not None:
        return chosen
    if moderator not in possible_moderators(inspection=inspection):
        raise ValidationError(f"{moderator} is not an inspector on {inspection}.")
    eligible = {c.pk: c for c in eligible_cases(inspection=inspection)}
    created = []
    for case in cases:
        if case.pk not in eligible:
            raise ValidationError(
                f"Case {case.case_ref} is not submitted, or is moderated already."
            )
        if case.allocated_to_id == moderator.pk:
            raise ValidationError(
                f"{moderator} reviewed case {case.case_ref}: choose someone else."
            )
        created.append(
            Moderation(case=case, moderator=moderator, assigned_by=by, request_id=request_id)
        )
    return Moderation.objects.bulk_create(created)


@transaction.atomic
def moderation_sample(
    *,
    inspection: Inspection,
    per_inspector: int,
    by,
    rng: random.Random | None = None,
    request_id: uuid.UUID | None = None,
) -> list[Moderation]:
    """Draw `per_inspector` submitted cases at random from each inspector's cases, once.

    Each goes to another inspector, whoever has the fewest moderations so far (a lead only
    when no inspector can: a lead who moderates a case may not agree it). The same
    submission (`request_id`) sent again draws nothing more and returns the first draw.
    """
    check(by, Action.CHOOSE_MODERATION, inspection)
    Inspection.objects.select_for_update().get(pk=inspection.pk)
    if (chosen := _chosen_by(inspection, request_id)) is not None:
        return chosen
    if per_inspector < 1:
        raise ValidationError("Choose at least one case per inspector.")
    rng = rng or random.SystemRandom()
    moderators = possible_moderators(inspection=inspection)
    # Those who may agree cases: one who moderates a case may not agree it.
    leads = set(
        inspection.memberships.filter(role__in=roles_for(Action.AGREE)).values_list(
            "user", flat=True
        )
    )
    load = defaultdict(
        int,
        dict(
            Moderation.objects.filter(case__inspection=inspection)
            .values_list("moderator")
            .annotate(n=Count("pk"))
            .values_list("moderator", "n")
        ),
    )
    by_inspector = defaultdict(list)
    for case in eligible_cases(inspection=inspection).order_by("case_ref"):
        by_inspector[case.allocated_to_id].append(case)
    created = []
    for inspector_id in sorted(by_inspector, key=lambda pk: pk or 0):
        cases = by_inspector[inspector_id]
        for case in rng.sample(cases, k=min(per_inspector, len(cases))):
            others = [m for m in moderators if m.pk != case.allocated_to_id]
            if not others:
                raise ValidationError("There is no other inspector to moderate these cases.")
            # Inspectors before leads: a lead who moderates a case may no longer agree it.
            moderator = min(others, key=lambda m: (m.pk in leads, load[m.pk], m.username))
            load[moderator.pk] += 1
            created.append(
                Moderation(case=case, moderator=moderator, assigned_by=by, request_id=request_id)
            )
    return Moderation.objects.bulk_create(created)


@transaction.atomic
def moderation_save(
    *, moderation: Moderation, judgements: dict, by, submit: bool = False
) -> Moderation:
    """Save the moderator's judgements ({code: (value, reasons)}); submit when all are given."""
    # Lock the case's review first, as agreeing does: a moderation saved while its moderator
    # agrees the case waits for the agreement, or is seen by its check that whoever agrees
    # gave no judgement in the case.
    Review.objects.select_for_update().filter(case_id=moderation.case_id).first()
    moderation = (
        Moderation.objects.select_for_update()
        .select_related("case__inspection")
        .get(pk=moderation.pk)
    )
    check(by, Action.MODERATE, moderation)
    if moderation.status == Moderation.Status.SUBMITTED:
        raise PermissionDenied("This moderation is submitted: read-only.")
    key_questions = {kq.code: kq for kq in moderation_key_questions(moderation=moderation)}
    for code, (value, reasons) in judgements.items():
        if code not in key_questions:
            raise ValidationError(f"{code} is not a key question of this framework.")
        if not value:
            moderation.judgements.filter(key_question=key_questions[code]).delete()
            continue
        if value not in ModerationJudgement.Value.values:
            raise ValidationError(f"Select Yes, No or Not applicable for {code}.")
        ModerationJudgement.objects.update_or_create(
            moderation=moderation,
            key_question=key_questions[code],
            defaults={"value": value, "reasons": clean_text(reasons or "", what="reasons") or ""},
        )
    if submit:
        judged = set(moderation.judgements.values_list("key_question__code", flat=True))
        missing = [code for code in key_questions if code not in judged]
        if missing:
            raise ValidationError(f"Give a judgement on every key question: {', '.join(missing)}.")
        moderation.status, moderation.submitted_at = Moderation.Status.SUBMITTED, timezone.now()
        moderation.save()
    return moderation
