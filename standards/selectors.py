"""Read the framework: versions, their questions in order, and the data dictionary."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet

from standards.characteristics import Characteristic, characteristics
from standards.conditions import describe
from standards.models import FrameworkVersion, KeyQuestion, Question, RatingBand, Section
from standards.ratings import STANDARD_RULE_TEXT


def framework_versions() -> QuerySet[FrameworkVersion]:
    """Return every loaded framework version, newest first within each framework."""
    return FrameworkVersion.objects.all()


def framework_version_get(*, framework: str, version: str) -> FrameworkVersion | None:
    """Return framework `framework` at `version`, or None."""
    return FrameworkVersion.objects.filter(framework=framework, version=version).first()


_QUESTIONS: dict[tuple[int, str], list[Question]] = {}


def framework_questions(*, version: FrameworkVersion) -> list[Question]:
    """Return every question, sub-field and summary judgement of `version`, in order.

    Kept per process after the first read: a version's content is fixed while it
    is in use, and its hash changes when an unused one is loaded again. The
    objects are shared: read them, never change them.
    """
    key = (version.pk, version.content_hash)
    questions = _QUESTIONS.get(key)
    if questions is None:
        questions = list(
            version.questions.select_related("key_question__section", "parent").order_by("position")
        )
        _QUESTIONS[key] = questions
    return questions


def framework_sections(*, version: FrameworkVersion) -> list[Section]:
    """Return the sections of `version` with key questions and questions prefetched."""
    questions = (
        Question.objects.filter(parent=None)
        .order_by("position")
        .prefetch_related(Prefetch("fields", queryset=Question.objects.order_by("position")))
    )
    key_questions = KeyQuestion.objects.order_by("position").prefetch_related(
        Prefetch("questions", queryset=questions)
    )
    return list(
        version.sections.order_by("position").prefetch_related(
            Prefetch("key_questions", queryset=key_questions)
        )
    )


def rating_bands(*, version: FrameworkVersion) -> list[RatingBand]:
    """Return the rating bands of `version`, highest first, each with `range_text` set."""
    bands = list(version.rating_bands.order_by("position"))
    upper = None
    for band in bands:
        low = f"{band.min_percent:.0f}%"
        if upper is None:
            band.range_text = f"{low} and over"
        elif band.min_percent == 0:
            band.range_text = f"Under {upper}"
        else:
            band.range_text = f"{low} to under {upper}"
        upper = low
    return bands


@dataclass(frozen=True)
class ReportLayout:
    """How a framework version's reports are laid out and rated (its file's report, rating)."""

    columns: list[Characteristic]
    rows: list[Characteristic]
    caution_below: int  # groups of fewer cases carry a caution mark
    analysis_minimum: int  # key questions judged in fewer cases are not analysed
    bands: list[RatingBand]  # highest first, each with range_text
    standard_rule: str

    @property
    def compared(self) -> list[Characteristic]:
        """Return the characteristics the regression weighs: the columns', then the rows'."""
        return [*self.columns, *self.rows]

    @property
    def compared_text(self) -> str:
        return _listed([c.named for c in self.compared])

    @property
    def rows_text(self) -> str:
        return _listed([c.named for c in self.rows])

    @property
    def rule_text(self) -> str:
        return STANDARD_RULE_TEXT[self.standard_rule]


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def report_layout(*, versions) -> ReportLayout:
    """Return the layout shared by `versions` (one report may span inspections).

    Inspections whose versions rate or lay out reports differently cannot share a report:
    that is refused, naming the versions.
    """
    versions = sorted(set(versions), key=lambda v: v.pk)
    if not versions:
        raise ValidationError("Choose at least one inspection.")
    if len(versions) > 1 and len({_layout_key(v) for v in versions}) > 1:
        named = ", ".join(str(v) for v in versions)
        raise ValidationError(
            f"These inspections use framework versions whose reports are rated or laid out "
            f"differently ({named}): report on them separately."
        )
    version = versions[0]
    layout = version.report_layout
    return ReportLayout(
        columns=characteristics(layout["columns"]),
        rows=characteristics(layout["rows"]),
        caution_below=layout["caution_below"],
        analysis_minimum=layout["analysis_minimum"],
        bands=rating_bands(version=version),
        standard_rule=version.standard_rule,
    )


def _layout_key(version: FrameworkVersion) -> str:
    bands = version.rating_bands.order_by("position").values_list("label", "min_percent")
    return repr((sorted(version.report_layout.items()), list(bands), version.standard_rule))


def framework_outline(*, version: FrameworkVersion) -> list[Section]:
    """Return the sections of `version` for display, each question with `applies_text` set."""
    questions = framework_questions(version=version)
    by_code = {q.code: q for q in questions}
    texts = {q.code: applies_when_text(question=q, by_code=by_code) for q in questions}
    sections = framework_sections(version=version)
    for section in sections:
        for key_question in section.key_questions.all():
            for question in key_question.questions.all():
                question.applies_text = texts[question.code]
                for field in question.fields.all():
                    field.applies_text = texts[field.code]
    return sections


def applies_when_text(*, question: Question, by_code: dict[str, Question]) -> str:
    """Return, in words, when `question` applies (its group's, parent's and own conditions)."""

    def choice_label(code: str, value: str) -> str:
        return by_code[code].choice_label(value) if code in by_code else value

    conditions = [question.key_question.applies_when]
    if question.parent_id:
        conditions.append(question.parent.applies_when)
    conditions.append(question.applies_when)
    words = [describe(c, choice_label=choice_label) for c in conditions if c]
    text = "; ".join(words) or "all cases"
    return text[0].upper() + text[1:]


DATA_DICTIONARY_COLUMNS = [
    "code",
    "kind",
    "section",
    "standard",
    "key_question",
    "key_question_text",
    "parent",
    "text",
    "guidance",
    "answer_type",
    "choices",
    "number_range",
    "weight",
    "applies_when",
]


def data_dictionary_rows(*, version: FrameworkVersion) -> list[dict[str, str]]:
    """Return one row per question, sub-field and summary judgement of `version`."""
    questions = framework_questions(version=version)
    by_code = {q.code: q for q in questions}
    rows = []
    for question in questions:
        section = question.key_question.section
        rows.append(
            {
                "code": question.code,
                "kind": question.get_kind_display(),
                "section": f"{section.code} {section.title}",
                "standard": section.title if section.is_standard else "",
                "key_question": question.key_question.code,
                "key_question_text": question.key_question.title,
                "parent": question.parent.code if question.parent_id else "",
                "text": question.text,
                "guidance": "\n\n".join(question.guidance),
                "answer_type": question.answer_type,
                "choices": "; ".join(f"{c['value']} ({c['label']})" for c in question.choices),
                "number_range": _number_range(question),
                "weight": question.weight,
                "applies_when": applies_when_text(question=question, by_code=by_code),
            }
        )
    return rows


def _number_range(question: Question) -> str:
    if question.number_min is None:
        return ""
    places = question.number_decimals or 0
    low, high = (f"{value:.{places}f}" for value in (question.number_min, question.number_max))
    return f"{low} to {high}" + (f", {places} decimal places" if places else ", whole numbers")
