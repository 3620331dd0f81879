"""How far moderators agree with the first judgements, per key question and per inspector.

Agreement is counted on key questions both reviewers judged Yes or No: the
percentage agreeing and Cohen's kappa (statsmodels). A key question one reviewer
judged and the other marked not applicable is listed as a disagreement but left out
of the statistics.
"""

import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from statsmodels.stats.inter_rater import cohens_kappa

from casereview.models import (
    Answer,
    Moderation,
    ModerationJudgement,
)
from casereview.moderation.selectors import MODERATED_STATUSES
from inspection.models import Case, Inspection
from standards.models import KeyQuestion, Question


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
