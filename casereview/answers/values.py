"""Turn what a form sends into a stored answer, with messages a person can act on."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from config.text import invisible_characters_problem
from standards.models import AnswerType, Question

TEXT_LIMIT = 10_000
YES_NO = {"yes": "Yes", "no": "No"}
YES_NO_NA = {**YES_NO, "na": "Not applicable"}


def slot(code: str) -> str:
    """Return `code` fit for HTML ids and field names ("A1.1" -> "A1_1")."""
    return code.replace(".", "_")


def answer_options(question: Question) -> list[tuple[str, str]]:
    """Return the (value, label) pairs a question offers, in order."""
    if question.answer_type == AnswerType.YES_NO:
        return list(YES_NO.items())
    if question.answer_type == AnswerType.YES_NO_NA:
        return list(YES_NO_NA.items())
    return [(c["value"], c["label"]) for c in question.choices]


def clean_value(question: Question, raw):
    """Return the stored form of `raw` for `question` (None when blank), else ValidationError."""
    kind = question.answer_type
    if kind == AnswerType.MULTIPLE_CHOICE:
        values = [v for v in (raw or []) if v]
        if not values:
            return None
        allowed = {v for v, _ in answer_options(question)}
        if not set(values) <= allowed:
            raise ValidationError(f"Select from the choices given for {question.code}.")
        if question.exclusive_choice in values and len(values) > 1:
            label = question.choice_label(question.exclusive_choice)
            raise ValidationError(f"Select “{label}” on its own, or the other choices without it.")
        return [v for v, _ in answer_options(question) if v in values]  # framework order
    raw = (raw or "").strip() if isinstance(raw, str) else raw
    if raw in (None, ""):
        return None
    if kind in (AnswerType.YES_NO, AnswerType.YES_NO_NA, AnswerType.SINGLE_CHOICE):
        if not _is_option(question, raw):
            raise ValidationError(f"Select one of the answers given for {question.code}.")
        return raw
    if kind == AnswerType.NUMBER:
        return clean_number(question, raw)
    return clean_text(raw, what=f"the answer to {question.code}")


def _is_option(question: Question, value: str) -> bool:
    """Return whether `value` is one of the answers `question` offers (answer_options, fast:
    a historical import asks it a million times)."""
    if question.answer_type == AnswerType.YES_NO:
        return value in YES_NO
    if question.answer_type == AnswerType.YES_NO_NA:
        return value in YES_NO_NA
    return any(choice["value"] == value for choice in question.choices)


def clean_number(question: Question, raw: str) -> str:
    try:
        number = Decimal(raw.replace(",", ""))
    except InvalidOperation:
        raise ValidationError(f"Enter a number for {question.code}, like 12.") from None
    if not number.is_finite():
        raise ValidationError(f"Enter a number for {question.code}, like 12.")
    places = question.number_decimals or 0
    if -number.as_tuple().exponent > places and number != number.to_integral_value():
        raise ValidationError(
            f"Enter a whole number for {question.code}."
            if places == 0
            else f"Enter {question.code} with up to {places} decimal places."
        )
    low, high = question.number_min, question.number_max
    if (low is not None and number < low) or (high is not None and number > high):
        raise ValidationError(
            f"Enter a number from {low.normalize():f} to {high.normalize():f} for {question.code}."
        )
    return f"{number.normalize():f}"


def clean_text(raw: str, *, what: str, limit: int = TEXT_LIMIT) -> str | None:
    """Return typed text as stored (line endings \\n, no outer spaces; None when blank).

    Refused, with a message naming `what`: NUL characters and bidirectional controls
    (config.text), and text longer than `limit`. Anything else is kept as written.
    """
    text = raw.replace("\r\n", "\n").strip()
    if problem := invisible_characters_problem(text, what=what):
        raise ValidationError(problem)
    if len(text) > limit:
        raise ValidationError(
            f"Shorten {what} to {limit:,} characters or fewer (it has {len(text):,})."
        )
    return text or None


def display_value(question: Question, value) -> str:
    """Return a stored answer as a person reads it."""
    if value in (None, "", []):
        return "Not answered"
    labels = dict(answer_options(question))
    if isinstance(value, list):
        return "; ".join(labels.get(v, v) for v in value)
    return labels.get(value, str(value))
