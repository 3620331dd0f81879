"""The inspection dashboard: every case against every key question, and the figures.

Figures are counted in SQL, one query for all key questions; the grid reads
every summary judgement of the inspection in one query, and which cases only
another lead can agree (the viewer judged in them) in one more.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from casereview.answers.progress import NOT_STARTED, case_facts
from casereview.models import Answer, Query, Review
from casereview.workflow.moves import awaiting_second_person
from inspection.models import Case, Inspection
from standards.applicability import applicable
from standards.checks import checks_for, evaluate
from standards.models import KeyQuestion, Question
from standards.ratings import band_for
from standards.selectors import framework_questions

JUDGED = ["yes", "no"]
SUBMITTED = Review.Status.SUBMITTED
SUBMITTED_STATUSES = [Review.Status.SUBMITTED, Review.Status.RETURNED, Review.Status.AGREED]


@dataclass
class Figure:
    key_question: KeyQuestion
    agreed_yes: int = 0
    agreed_n: int = 0
    submitted_yes: int = 0
    submitted_n: int = 0
    agreed_band: str = ""
    submitted_band: str = ""

    @staticmethod
    def percent(yes: int, n: int) -> float | None:
        return round(100 * yes / n, 1) if n else None

    @property
    def agreed_percent(self):
        return self.percent(self.agreed_yes, self.agreed_n)

    @property
    def submitted_percent(self):
        return self.percent(self.submitted_yes, self.submitted_n)


@dataclass
class Row:
    case: Case
    review: Review | None
    cells: list[str] = field(default_factory=list)  # per key question: yes, no, na or ""
    open_queries: int = 0
    answered_queries: int = 0
    flags: list = field(default_factory=list)
    # The viewer judged in this case, so another lead (or an admin) must agree it.
    awaits_another_lead: bool = False


def key_questions(*, inspection: Inspection) -> list[KeyQuestion]:
    return list(
        KeyQuestion.objects.filter(
            section__framework_version=inspection.framework_version,
            kind=KeyQuestion.Kind.KEY_QUESTION,
        )
        .select_related("section")
        .order_by("position")
    )


def figures(*, inspection: Inspection) -> list[Figure]:
    """Return % judged sufficient per key question among agreed and among submitted cases."""
    judged = Q(value__in=JUDGED)
    agreed = Q(review__status=Review.Status.AGREED)
    submitted = Q(review__status__in=SUBMITTED_STATUSES)
    counts = {
        row["question__key_question_id"]: row
        for row in Answer.objects.filter(
            review__case__inspection=inspection, question__kind=Question.Kind.SUMMARY
        )
        .values("question__key_question_id")
        .annotate(
            agreed_yes=Count("pk", filter=agreed & Q(value="yes")),
            agreed_n=Count("pk", filter=agreed & judged),
            submitted_yes=Count("pk", filter=submitted & Q(value="yes")),
            submitted_n=Count("pk", filter=submitted & judged),
        )
    }
    bands = list(inspection.framework_version.rating_bands.order_by("position"))

    result = []
    for kq in key_questions(inspection=inspection):
        found = counts.get(kq.pk, {})
        figure = Figure(kq, **{k: v for k, v in found.items() if k != "question__key_question_id"})
        figure.agreed_band = band_for(bands, figure.agreed_percent)
        figure.submitted_band = band_for(bands, figure.submitted_percent)
        result.append(figure)
    return result


def grid(*, inspection: Inspection, cases, viewer=None) -> tuple[list[KeyQuestion], list[Row]]:
    """Return the key questions and one row per case with its judgement on each.

    With `viewer`, each row also says whether its next move takes someone other than them.
    """
    kqs = key_questions(inspection=inspection)
    cases = list(cases.select_related("allocated_to", "review").order_by("case_ref"))
    reviews = [review.pk for case in cases if (review := getattr(case, "review", None))]
    awaiting = awaiting_second_person(viewer, reviews) if viewer else set()
    # Every answer of these cases in one query: the judgements for the grid, and
    # all of a case's answers for the consistency checks.
    questions = framework_questions(version=inspection.framework_version)
    by_pk = {q.pk: q for q in questions}
    values: dict[int, dict[str, object]] = {}
    for review_id, question_id, value in Answer.objects.filter(
        review__case__in=[c.pk for c in cases]
    ).values_list("review_id", "question_id", "value"):
        values.setdefault(review_id, {})[by_pk[question_id].code] = value
    rules = checks_for(inspection.framework_version)
    query_counts = {
        row["review_id"]: row
        for row in Query.objects.filter(review__case__in=[c.pk for c in cases])
        .values("review_id")
        .annotate(
            open=Count("pk", filter=Q(status=Query.Status.OPEN)),
            answered=Count("pk", filter=Q(status=Query.Status.ANSWERED)),
        )
    }
    rows = []
    for case in cases:
        review = getattr(case, "review", None)
        progress = review.progress if review else {}
        answers = values.get(review.pk, {}) if review else {}
        cells = []
        for kq in kqs:
            value = answers.get(f"{kq.code}S") or ""
            if not value and progress and kq.section.code not in progress:
                value = "na"  # no question of its section applies to this case
            cells.append(value)
        counts = query_counts.get(review.pk if review else None, {})
        row = Row(case, review, cells, counts.get("open", 0), counts.get("answered", 0))
        row.awaits_another_lead = review is not None and review.pk in awaiting
        if answers:
            applies = applicable(questions, case=case_facts(case), answers=answers)
            row.flags = evaluate(rules, questions, answers, applies)
        rows.append(row)
    return kqs, rows


@dataclass
class Board:
    """The lead's dashboard: the figures, and the filtered cases with what needs attention."""

    key_questions: list[KeyQuestion]
    rows: list[Row]
    figures: list[Figure]

    @property
    def attention(self) -> dict[str, list[Row]]:
        submitted = [
            r for r in self.rows if r.review and r.review.status == Review.Status.SUBMITTED
        ]
        return {
            "submitted": submitted,
            "another_lead": [r for r in submitted if r.awaits_another_lead],
            "answered": [r for r in self.rows if r.answered_queries],
            "open": [r for r in self.rows if r.open_queries],
        }


def board(*, inspection: Inspection, filters: dict, viewer) -> Board:
    """Return the dashboard for `filters` (inspector, provider, status, flagged; any left out)."""
    cases = inspection.cases.all()
    if "inspector" in filters:
        cases = cases.filter(allocated_to__username=filters["inspector"])
    if "provider" in filters:
        cases = cases.filter(provider=filters["provider"])
    status = filters.get("status")
    if status == NOT_STARTED:
        cases = cases.filter(review__isnull=True) | cases.filter(review__started_at__isnull=True)
    elif status:
        cases = cases.filter(review__status=status, review__started_at__isnull=False)
    columns, rows = grid(inspection=inspection, cases=cases, viewer=viewer)
    if filters.get("flagged"):
        rows = [row for row in rows if row.flags]
    return Board(columns, rows, figures(inspection=inspection))
