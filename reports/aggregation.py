"""The report's tables: for each key question, n and % judged sufficient by characteristic.

Rows and columns are data (ROWS, COLUMNS). Every cell of every key question's
table is counted in one SQL query, whatever the number of cases: a summary
judgement counts where it was made (Yes or No; not applicable and blank are
left out), and a case whose characteristic is not recorded counts in All
cases but in no row of that characteristic.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from statsmodels.stats.proportion import proportion_confint

from casereview.models import Answer, Review
from standards.models import KeyQuestion, Question

FINAL_STATUSES = [Review.Status.AGREED]
DRAFT_STATUSES = [Review.Status.SUBMITTED, Review.Status.RETURNED, Review.Status.AGREED]
SMALL_GROUP = 10  # subgroups smaller than this carry a caution

C = "review__case__"
# (group, label, condition on the case): the bulletins' rows, in their order.
ROWS = [
    ("All cases", "All cases", Q()),
    ("Gender", "Male", Q(**{f"{C}gender": "male"})),
    ("Gender", "Female", Q(**{f"{C}gender": "female"})),
    ("Age group", "18-20", Q(**{f"{C}age__gte": 18, f"{C}age__lte": 20})),
    ("Age group", "21-24", Q(**{f"{C}age__gte": 21, f"{C}age__lte": 24})),
    ("Age group", "25-29", Q(**{f"{C}age__gte": 25, f"{C}age__lte": 29})),
    ("Age group", "30-39", Q(**{f"{C}age__gte": 30, f"{C}age__lte": 39})),
    ("Age group", "40-49", Q(**{f"{C}age__gte": 40, f"{C}age__lte": 49})),
    ("Age group", "50+", Q(**{f"{C}age__gte": 50})),
    ("Ethnic group", "White", Q(**{f"{C}ethnicity": "white"})),
    ("Ethnic group", "Black", Q(**{f"{C}ethnicity": "black"})),
    ("Ethnic group", "Asian", Q(**{f"{C}ethnicity": "asian"})),
    ("Ethnic group", "Mixed", Q(**{f"{C}ethnicity": "mixed"})),
    ("Ethnic group", "Other", Q(**{f"{C}ethnicity": "other"})),
    ("Supervision type", "Community sentence", Q(**{f"{C}supervision": "community"})),
    ("Supervision type", "Post-custody", Q(**{f"{C}supervision": "post_custody"})),
    ("OGRS band", "Low (0-49)", Q(**{f"{C}ogrs__gte": 0, f"{C}ogrs__lte": 49})),
    ("OGRS band", "Medium (50-74)", Q(**{f"{C}ogrs__gte": 50, f"{C}ogrs__lte": 74})),
    ("OGRS band", "High/Very high (75+)", Q(**{f"{C}ogrs__gte": 75})),
    ("RoSH level", "Low", Q(**{f"{C}rosh": "low"})),
    ("RoSH level", "Medium", Q(**{f"{C}rosh": "medium"})),
    ("RoSH level", "High/Very high", Q(**{f"{C}rosh__in": ["high", "very_high"]})),
]
COLUMNS = [
    ("All cases", Q()),
    ("CRC cases", Q(**{f"{C}provider": "crc"})),
    ("NPS cases", Q(**{f"{C}provider": "nps"})),
]


@dataclass(frozen=True)
class Cell:
    n: int
    yes: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.yes / self.n, 1) if self.n else None

    @property
    def small(self) -> bool:
        return 0 < self.n < SMALL_GROUP

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
    rows: list[TableRow] = field(default_factory=list)

    @property
    def total(self) -> Cell:
        return self.rows[0].cells[0]


def key_question_tables(inspections, *, final: bool = True) -> list[KeyQuestionTable]:
    """Return one table per key question over `inspections` (agreed cases, or all submitted)."""
    inspections = list(inspections)
    statuses = FINAL_STATUSES if final else DRAFT_STATUSES
    key_questions = list(
        KeyQuestion.objects.filter(
            section__framework_version__in={i.framework_version_id for i in inspections},
            kind=KeyQuestion.Kind.KEY_QUESTION,
        ).order_by("position")
    )
    aggregates = {}
    for r, (_, _, row) in enumerate(ROWS):
        for c, (_, column) in enumerate(COLUMNS):
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
        table = KeyQuestionTable(kq)
        for r, (group, label, _) in enumerate(ROWS):
            cells = [
                Cell(found.get(f"n_{r}_{c}", 0), found.get(f"y_{r}_{c}", 0))
                for c in range(len(COLUMNS))
            ]
            table.rows.append(TableRow(group, label, cells))
        tables.append(table)
    return tables
