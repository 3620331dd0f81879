"""Read a review's history and the reviews a person judged in."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from casereview.answers.progress import STATE_LABELS
from casereview.answers.values import display_value
from casereview.models import Review
from inspection.models import Case
from inspection.selectors import cases_allocated_to
from standards.models import Section
from standards.selectors import framework_questions


@dataclass
class CaseInHand:
    """A case on an inspector's list, with each section's progress as (code, state, label)."""

    case: Case
    review: Review | None
    progress: list[tuple[str, str, str]]

    @property
    def returned(self) -> bool:
        return self.review is not None and self.review.status == Review.Status.RETURNED


@dataclass
class CasesInHand:
    cases: list[CaseInHand]
    sections: list[str]  # the section codes, in the framework's order

    @property
    def returned(self) -> list[CaseInHand]:
        return [item for item in self.cases if item.returned]


def cases_in_hand(*, user) -> CasesInHand:
    """Return the cases allocated to `user`, with their open queries and progress by section."""
    cases = list(
        cases_allocated_to(user=user)
        .select_related("inspection", "review")
        .annotate(open_queries=Count("review__queries", filter=Q(review__queries__status="open")))
        .order_by("inspection__name", "case_ref")
    )
    versions = {case.inspection.framework_version_id for case in cases}
    sections = list(
        dict.fromkeys(
            Section.objects.filter(framework_version__in=versions)
            .order_by("position")
            .values_list("code", flat=True)
        )
    )
    items = []
    for case in cases:
        review = getattr(case, "review", None)
        items.append(CaseInHand(case, review, _progress(review, sections)))
    return CasesInHand(items, sections)


def _progress(review, sections) -> list[tuple[str, str, str]]:
    """Started reviews say "Not applicable" of the sections that do not apply to them."""
    progress = review.progress if review else {}
    rows = []
    for code in sections:
        state = progress.get(code, "not_applicable" if progress else "not_started")
        rows.append((code, state, STATE_LABELS.get(state, "Not applicable")))
    return rows


def reviews_judged_by(*, user) -> QuerySet[Review]:
    """Return the reviews in which `user` gave or changed any judgement (Review.judged_by)."""
    return Review.objects.judged_by(user)


def review_history(*, review: Review) -> list[dict]:
    """Return every status change and answer change of `review`, oldest first."""
    entries = [
        {
            "at": e.at,
            "who": e.actor,
            "kind": "status",
            "what": f"{Review.Status(e.from_status).label} → {Review.Status(e.to_status).label}",
            "note": e.note,
        }
        for e in review.events.select_related("actor")
    ]
    version = review.case.inspection.framework_version
    questions = {q.pk: q for q in framework_questions(version=version)}
    for change in review.changes.select_related("changed_by"):
        question = questions[change.question_id]
        entries.append(
            {
                "at": change.changed_at,
                "who": change.changed_by,
                "kind": "answer",
                "what": f"{question.code} {change.part.replace('_', ' ')}",
                "old": _shown(question, change.part, change.old),
                "new": _shown(question, change.part, change.new),
            }
        )
    return sorted(entries, key=lambda entry: entry["at"])


def _shown(question, part, value) -> str:
    if part == "value":
        return display_value(question, value)
    return value or "(empty)"
