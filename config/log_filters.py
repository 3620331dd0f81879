"""Keep case details out of the application's logs.

Exception messages can carry data (Postgres repeats a refused value in its
DETAIL; a parser quotes the text it choked on), so logs keep an exception's
type and where it was raised, never its message.
"""

import logging
import traceback

WITHHELD = "(message withheld: it may hold case details)"


class WithholdCaseDetails(logging.Filter):
    """Replace exception messages in a record with their type; drop none of the records."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = withheld_traceback(record.exc_info[1])
        # Celery's "Task ... raised unexpected: %(exc)s" puts the exception's repr in the message.
        if isinstance(record.args, dict) and "exc" in record.args:
            record.args = {**record.args, "exc": _type_only(record.args["exc"])}
        return True


def withheld_traceback(error: BaseException) -> str:
    """Return the traceback of `error` (and its causes) with every message withheld."""
    lines: list[str] = []
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        frames = "".join(traceback.format_tb(error.__traceback__))
        last = f"{_qualified(error)}: {WITHHELD}"
        lines.insert(0, f"Traceback (most recent call last):\n{frames}{last}")
        error = error.__cause__ or error.__context__
    return "\n\nDuring handling of the above, another exception occurred:\n\n".join(lines)


def _qualified(error: BaseException) -> str:
    kind = type(error)
    if kind.__module__ == "builtins":
        return kind.__qualname__
    return f"{kind.__module__}.{kind.__qualname__}"


def _type_only(text) -> str:
    name = str(text).split("(", 1)[0].strip()
    return f"{name} {WITHHELD}"
