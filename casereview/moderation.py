"""Moderation: a blind second review of key questions, and how far the two reviews agree.

Agreement is counted on key questions both reviewers judged Yes or No: the
percentage agreeing and Cohen's kappa (statsmodels), per key question and per
inspector. A key question one reviewer judged and the other marked not
applicable is listed as a disagreement but left out of the statistics.
"""

import math
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from statsmodels.stats.inter_rater import cohens_kappa

from casereview.answers import clean_text
from casereview.models import Answer, Moderation, ModerationJudgement, Review
from inspection.models import Case, Inspection
from inspection.permissions import Action, check, roles_for
from standards.models import KeyQuestion, Question

MODERATED_STATUSES = [Review.Status.SUBMITTED, Review.Status.RETURNED, Review.Status.AGREED]


def eligible_cases(inspection: Inspection):
    """Return the cases whose review is submitted and that no one moderates yet."""
    return inspection.cases.filter(
        review__status__in=MODERATED_STATUSES, moderation__isnull=True
    ).select_related("allocated_to")


def possible_moderators(inspection: Inspection):
    return [
        m.user
        for m in inspection.memberships.filter(role__in=roles_for(Action.MODERATE))
        .select_related("user")
        .order_by("user__username")
    ]


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
    if moderator not in possible_moderators(inspection):
        raise ValidationError(f"{moderator} is not an inspector on {inspection}.")
    eligible = {c.pk: c for c in eligible_cases(inspection)}
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
    moderators = possible_moderators(inspection)
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
    for case in eligible_cases(inspection).order_by("case_ref"):
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


def moderation_key_questions(moderation: Moderation) -> list[KeyQuestion]:
    return list(
        KeyQuestion.objects.filter(
            section__framework_version=moderation.case.inspection.framework_version,
            kind=KeyQuestion.Kind.KEY_QUESTION,
        ).order_by("position")
    )


@transaction.atomic
def moderation_save(*, moderation: Moderation, judgements: dict, by, submit: bool = False):
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
    key_questions = {kq.code: kq for kq in moderation_key_questions(moderation)}
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


@dataclass
class Agreement:
    label: str
    n: int
    agreed: int
    kappa: float | None

    @property
    def percent(self) -> float | None:
        return round(100 * self.agreed / self.n, 1) if self.n else None


@dataclass
class Disagreement:
    case: Case
    key_question: str
    first: str
    second: str
    inspector: str
    moderator: str


def kappa(pairs: list[tuple[str, str]]) -> float | None:
    """Return Cohen's kappa for yes/no pairs, or None where it is not defined."""
    if not pairs:
        return None
    table = np.zeros((2, 2))
    for first, second in pairs:
        table[int(first == "no"), int(second == "no")] += 1  # plain bools would be a mask
    expected = (table.sum(1) @ table.sum(0)) / table.sum() ** 2
    if math.isclose(expected, 1.0):
        return None  # both reviewers gave one and the same answer throughout
    with np.errstate(invalid="ignore"):  # its standard error, unused here, fails on tiny tables
        return round(float(cohens_kappa(table).kappa), 3)


@dataclass(frozen=True)
class AgreementTables:
    """How far first and second reviews agree: per key question, per inspector, and where not."""

    by_key_question: list[Agreement]
    by_inspector: list[Agreement]
    disagreements: list[Disagreement]


def agreement(inspection: Inspection) -> AgreementTables:
    """Return how far submitted moderations agree with the cases' first reviews."""
    moderations = {
        m.case_id: m
        for m in Moderation.objects.filter(
            case__inspection=inspection,
            status=Moderation.Status.SUBMITTED,
            case__review__status__in=MODERATED_STATUSES,
        ).select_related("case__allocated_to", "moderator")
    }
    second = {
        (j.moderation.case_id, j.key_question.code): j.value
        for j in ModerationJudgement.objects.filter(
            moderation__case__in=moderations
        ).select_related("moderation", "key_question")
    }
    first = {
        (case_id, code[:-1]): value
        for case_id, code, value in Answer.objects.filter(
            review__case__in=moderations, question__kind=Question.Kind.SUMMARY
        ).values_list("review__case_id", "question__code", "value")
    }
    codes = [
        kq.code
        for kq in KeyQuestion.objects.filter(
            section__framework_version=inspection.framework_version,
            kind=KeyQuestion.Kind.KEY_QUESTION,
        ).order_by("position")
    ]
    per_kq, per_inspector, disagreements = defaultdict(list), defaultdict(list), []
    for case_id, moderation in sorted(moderations.items(), key=lambda i: i[1].case.case_ref):
        inspector = moderation.case.allocated_to.username if moderation.case.allocated_to else "–"
        for code in codes:
            a, b = first.get((case_id, code)) or "na", second.get((case_id, code)) or "na"
            if a != b:
                disagreements.append(
                    Disagreement(
                        moderation.case, code, a, b, inspector, moderation.moderator.username
                    )
                )
            if a in ("yes", "no") and b in ("yes", "no"):
                per_kq[code].append((a, b))
                per_inspector[inspector].append((a, b))

    def summarise(label, pairs):
        return Agreement(label, len(pairs), sum(a == b for a, b in pairs), kappa(pairs))

    return AgreementTables(
        [summarise(code, per_kq[code]) for code in codes],
        [summarise(name, pairs) for name, pairs in sorted(per_inspector.items())],
        disagreements,
    )
