"""The report's tables: for each key question, n and % judged sufficient by characteristic.

The tables' columns and rows are the framework version's report layout
(standards.selectors.report_layout), each a characteristic defined once in
standards.characteristics. Every cell of every key question's table is counted in one
SQL query, whatever the number of cases: a summary judgement counts where it was made
(Yes or No; not applicable and blank are left out), and a case whose characteristic is
not recorded counts in All cases but in no row of that characteristic.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from statsmodels.stats.proportion import proportion_confint

from casereview.models import Answer, Review
from standards.models import KeyQuestion, Question
from standards.selectors import ReportLayout, report_layout

FINAL_STATUSES = [Review.Status.AGREED]
DRAFT_STATUSES = [Review.Status.SUBMITTED, Review.Status.RETURNED, Review.Status.AGREED]
ALL_CASES = "All cases"
THROUGH_ANSWER = "review__case__"


@dataclass(frozen=True)
class Cell:
    n: int
    yes: int
    caution_below: int = field(default=0, compare=False)  # the layout's: fewer carry a caution

    @property
    def percent(self) -> float | None:
        return round(100 * self.yes / self.n, 1) if self.n else None

    @property
    def small(self) -> bool:
        return 0 < self.n < self.caution_below

    def interval(self) -> tuple[float, float] | None:
        """Return the Wilson 95% confidence interval of the %, or None without cases."""
        if not self.n:
            return None
        low, high = proportion_confint(self.yes, self.n, alpha=0.05, method="wilson")
        return round(100 * low, 1), round(100 * high, 1)


@dataclass
class TableRow:
    group: str
    label: str
    cells: list[Cell]  # one per column


@dataclass
class KeyQuestionTable:
    key_question: KeyQuestion
    columns: list[str]  # the headings: All cases, then each column group
    rows: list[TableRow] = field(default_factory=list)

    @property
    def total(self) -> Cell:
        return self.rows[0].cells[0]

    @property
    def width(self) -> int:
        """Return the table's width in cells: the row labels, then n and % per column."""
        return 1 + 2 * len(self.columns)


def table_axes(layout: ReportLayout) -> tuple[list[tuple[str, str, Q]], list[tuple[str, Q]]]:
    """Return the rows (heading, label, condition) and columns (label, condition) of a table."""
    rows = [(ALL_CASES, ALL_CASES, Q())]
    for characteristic in layout.rows:
        for group in characteristic.groups:
            condition = characteristic.filter(group, through=THROUGH_ANSWER)
            rows.append((characteristic.label, group.label, condition))
    columns = [(ALL_CASES, Q())]
    for characteristic in layout.columns:
        for group in characteristic.groups:
            columns.append((group.label, characteristic.filter(group, through=THROUGH_ANSWER)))
    return rows, columns


def key_question_tables(
    inspections, *, final: bool = True, layout: ReportLayout | None = None
) -> list[KeyQuestionTable]:
    """Return one table per key question over `inspections` (agreed cases, or all submitted)."""
    inspections = list(inspections)
    layout = layout or report_layout(versions=[i.framework_version for i in inspections])
    statuses = FINAL_STATUSES if final else DRAFT_STATUSES
    key_questions = list(
        KeyQuestion.objects.filter(
            section__framework_version__in={i.framework_version_id for i in inspections},
            kind=KeyQuestion.Kind.KEY_QUESTION,
        ).order_by("position")
    )
    rows, columns = table_axes(layout)
    aggregates = {}
    for r, (_, _, row) in enumerate(rows):
        for c, (_, column) in enumerate(columns):
            aggregates[f"n_{r}_{c}"] = Count("pk", filter=row & column)
            aggregates[f"y_{r}_{c}"] = Count("pk", filter=row & column & Q(value="yes"))
    counts = {
        found["question__key_question__code"]: found
        for found in Answer.objects.filter(
            review__case__inspection__in=inspections,
            review__status__in=statuses,
            question__kind=Question.Kind.SUMMARY,
            value__in=["yes", "no"],
        )
        .values("question__key_question__code")
        .annotate(**aggregates)
    }
    tables = []
    for kq in key_questions:
        found = counts.get(kq.code, {})
        table = KeyQuestionTable(kq, [label for label, _ in columns])
        for r, (group, label, _) in enumerate(rows):
            cells = [
                Cell(found.get(f"n_{r}_{c}", 0), found.get(f"y_{r}_{c}", 0), layout.caution_below)
                for c in range(len(columns))
            ]
            table.rows.append(TableRow(group, label, cells))
        tables.append(table)
    return tables
