"""Typed and imported text: the invisible characters refused wherever text comes in.

NUL cannot be stored by Postgres. The bidirectional controls (embeddings, overrides and
isolates, U+202A-U+202E and U+2066-U+2069) make text show in another order than it was
typed: "HSILGNE" behind a right-to-left override shows as "ENGLISH", a file name can
show a false extension. Nobody types them on purpose; they come with pasted text, so
they are refused with a message saying how to get rid of them. The marks that only
steer punctuation (U+200E, U+200F, U+061C), which right-to-left languages need, are
kept; and pages and PDFs isolate each piece of typed text (static/src/_bidi.scss), so
nothing stored before this rule can reorder what is shown around it.
"""

from django.core.exceptions import ValidationError

DIRECTION_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def invisible_characters_problem(text: str, *, what: str) -> str | None:
    """Return why `text` is refused for its invisible characters, naming `what`, or None."""
    if "\x00" in text:
        return f"Remove the invisible NUL characters from {what}."
    if not DIRECTION_CONTROLS.isdisjoint(text):
        return (
            f"Remove the invisible text-direction characters from {what}: they make text "
            "show in another order than it was typed. Type the text again rather than "
            "pasting it."
        )
    return None


def validate_plain_text(text: str) -> None:
    """Raise ValidationError for text with invisible characters (a model field validator)."""
    if problem := invisible_characters_problem(text or "", what="this field"):
        raise ValidationError(problem, code="invisible_characters")
