"""Read the framework: versions, their questions in order, and the data dictionary."""

from django.db.models import Prefetch, QuerySet

from standards.conditions import describe
from standards.models import FrameworkVersion, KeyQuestion, Question, RatingBand, Section


def framework_versions() -> QuerySet[FrameworkVersion]:
    """Return every loaded framework version, newest first within each framework."""
    return FrameworkVersion.objects.all()


def framework_version_get(*, framework: str, version: str) -> FrameworkVersion | None:
    """Return framework `framework` at `version`, or None."""
    return FrameworkVersion.objects.filter(framework=framework, version=version).first()


_QUESTIONS: dict[tuple[int, str], list[Question]] = {}


def framework_questions(version: FrameworkVersion) -> list[Question]:
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


def framework_sections(version: FrameworkVersion) -> list[Section]:
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


def rating_bands(version: FrameworkVersion) -> list[RatingBand]:
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


def framework_outline(version: FrameworkVersion) -> list[Section]:
    """Return the sections of `version` for display, each question with `applies_text` set."""
    questions = framework_questions(version)
    by_code = {q.code: q for q in questions}
    texts = {q.code: applies_when_text(q, by_code=by_code) for q in questions}
    sections = framework_sections(version)
    for section in sections:
        for key_question in section.key_questions.all():
            for question in key_question.questions.all():
                question.applies_text = texts[question.code]
                for field in question.fields.all():
                    field.applies_text = texts[field.code]
    return sections


def applies_when_text(question: Question, *, by_code: dict[str, Question]) -> str:
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


def data_dictionary_rows(version: FrameworkVersion) -> list[dict[str, str]]:
    """Return one row per question, sub-field and summary judgement of `version`."""
    questions = framework_questions(version)
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
                "applies_when": applies_when_text(question, by_code=by_code),
            }
        )
    return rows


def _number_range(question: Question) -> str:
    if question.number_min is None:
        return ""
    places = question.number_decimals or 0
    low, high = (f"{value:.{places}f}" for value in (question.number_min, question.number_max))
    return f"{low} to {high}" + (f", {places} decimal places" if places else ", whole numbers")
