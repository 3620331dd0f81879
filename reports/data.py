"""Everything a report shows, read in a fixed number of queries whatever the number of cases."""

from dataclasses import dataclass, field

from django.db.models import Count

from casereview.answers.examples import practice_examples
from casereview.answers.values import answer_options
from casereview.models import Answer
from inspection.models import Case
from reports.aggregation import (
    DRAFT_STATUSES,
    FINAL_STATUSES,
    KeyQuestionTable,
    key_question_tables,
)
from reports.statistics import findings, judgements_frame
from standards.characteristics import characteristic_group
from standards.models import AnswerType, Question
from standards.ratings import band_for, standard_band
from standards.selectors import ReportLayout, report_layout

# The bulletins' section 2: (label, "CHARACTERISTIC.GROUP") of standards.characteristics.
SAMPLE_ROWS = [
    ("CRC cases", "provider.crc"),
    ("NPS cases", "provider.nps"),
    ("Female", "gender.female"),
    ("Post-custody", "supervision.post_custody"),
    ("High or very high RoSH", "rosh_level.high"),
    ("MAPPA cases", "mappa.yes"),
]


@dataclass
class SampleSummary:
    cases: int
    counts: list[tuple[str, int]]  # (label, cases) in SAMPLE_ROWS' order

    def share(self, count: int) -> float | None:
        return round(100 * count / self.cases, 1) if self.cases else None

    def rows(self) -> list[tuple[str, int, float | None]]:
        """Return (characteristic, cases, % of the sample), as the bulletins' section 2 shows."""
        return [(label, count, self.share(count)) for label, count in self.counts]


@dataclass
class Rating:
    code: str
    title: str
    percent: float | None
    band: str
    interval: tuple | None = None


@dataclass
class SubQuestionResult:
    question: Question
    n: int
    counts: list[tuple[str, int, float]]  # (label, count, % of n)


@dataclass
class ReportData:
    inspections: list
    final: bool
    layout: ReportLayout
    sample: SampleSummary
    tables: list[KeyQuestionTable]
    key_question_ratings: list[Rating]
    standard_ratings: list[Rating]
    sub_questions: list[SubQuestionResult]
    examples: list = field(default_factory=list)
    narratives: list = field(default_factory=list)
    cases_by_area: list = field(default_factory=list)


def report_data(inspections, *, final: bool = True) -> ReportData:
    inspections = list(inspections)
    layout = report_layout(versions=[i.framework_version for i in inspections])
    statuses = FINAL_STATUSES if final else DRAFT_STATUSES
    tables = key_question_tables(inspections, final=final, layout=layout)
    codes = [t.key_question.code for t in tables]
    frame = judgements_frame(inspections, statuses, variables=layout.compared)
    found = findings(frame, codes, variables=layout.compared, minimum=layout.analysis_minimum)
    for table in tables:
        table.finding = found[table.key_question.code]
    kq_ratings = [_rating(t, layout) for t in tables]
    return ReportData(
        inspections=inspections,
        final=final,
        layout=layout,
        sample=_sample(inspections, statuses),
        tables=tables,
        key_question_ratings=kq_ratings,
        standard_ratings=_standards(tables, kq_ratings, layout),
        sub_questions=_sub_questions(inspections, statuses),
        examples=[a for i in inspections for a in practice_examples(i, approved_only=True)],
        narratives=[i.narrative for i in inspections if hasattr(i, "narrative")],
        cases_by_area=_cases_by_area(inspections, statuses),
    )


def _rating(table: KeyQuestionTable, layout: ReportLayout) -> Rating:
    total = table.total
    return Rating(
        table.key_question.code,
        table.key_question.title,
        total.percent,
        band_for(layout.bands, total.percent),
        total.interval(),
    )


def _standards(tables, ratings, layout: ReportLayout) -> list[Rating]:
    """Return each standard's rating from its key questions', by the framework's rule."""
    by_section: dict = {}
    for table, rating in zip(tables, ratings, strict=True):
        section = table.key_question.section
        if section.is_standard:
            by_section.setdefault(section, []).append(rating.band)
    return [
        Rating(
            section.code,
            section.title,
            None,
            standard_band(layout.standard_rule, layout.bands, bands),
        )
        for section, bands in by_section.items()
    ]


def _sample(inspections, statuses) -> SampleSummary:
    counts = {}
    for i, (_, reference) in enumerate(SAMPLE_ROWS):
        characteristic, group = characteristic_group(reference)
        counts[f"row_{i}"] = Count("pk", filter=characteristic.filter(group))
    found = Case.objects.filter(inspection__in=inspections, review__status__in=statuses).aggregate(
        cases=Count("pk"), **counts
    )
    return SampleSummary(
        found["cases"], [(label, found[f"row_{i}"]) for i, (label, _) in enumerate(SAMPLE_ROWS)]
    )


def _cases_by_area(inspections, statuses) -> list[tuple[str, int]]:
    rows = (
        Case.objects.filter(inspection__in=inspections, review__status__in=statuses)
        .values("inspection__area", "inspection__name")
        .annotate(n=Count("pk"))
        .order_by("inspection__area")
    )
    return [(r["inspection__area"] or r["inspection__name"], r["n"]) for r in rows]


def _sub_questions(inspections, statuses) -> list[SubQuestionResult]:
    """Return, per question with set answers, how often each answer was given (one query)."""
    questions = {
        q.pk: q
        for q in Question.objects.filter(
            framework_version__in={i.framework_version_id for i in inspections},
            kind=Question.Kind.QUESTION,
            answer_type__in=[AnswerType.YES_NO, AnswerType.YES_NO_NA, AnswerType.SINGLE_CHOICE],
        ).select_related("key_question")
    }
    tallies: dict[int, dict[str, int]] = {}
    for question_id, value, n in (
        Answer.objects.filter(
            review__case__inspection__in=inspections,
            review__status__in=statuses,
            question__in=list(questions),
        )
        .values_list("question_id", "value")
        .annotate(n=Count("pk"))
    ):
        tallies.setdefault(question_id, {})[value] = n
    results = []
    for question in sorted(questions.values(), key=lambda q: q.position):
        counts = tallies.get(question.pk, {})
        # n leaves out "not applicable", as the tables do
        n = sum(count for value, count in counts.items() if value != "na")
        shown = [
            (label, counts.get(value, 0), round(100 * counts.get(value, 0) / n, 1) if n else 0.0)
            for value, label in answer_options(question)
            if value != "na"
        ]
        results.append(SubQuestionResult(question, n, shown))
    return results
