"""Rows stored in bulk: COPY into Postgres, streamed, where the database has it.

For the imports that store many rows at once. Each app stores its own tables through
its own services, which use this (inspection.services.cases_store,
casereview.workflow.services.reviews_store_agreed, casereview.answers.services.answers_store);
none writes another app's tables.

Rows given to COPY are checked already against the rules the models hold, and the
database's constraints stand behind them: a row it refused would undo the whole
transaction.
"""

import json
import uuid
from collections.abc import Iterator

from django.db import connection, models

# Where rows go in by COPY: Postgres, the store of record. The demo's SQLite stand-in takes
# them by bulk_create, slower but the same rows.
COPY_VENDORS = ("postgresql",)


def copy_supported() -> bool:
    return connection.vendor in COPY_VENDORS


def new_ids(model, count: int) -> list[int]:
    """Return `count` ids drawn from the sequence of `model`'s table (never given twice)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return [row[0] for row in cursor.fetchall()]


class Copy:
    """COPY rows into `model`'s table, streamed: each row gives the `varying` fields.

    Varying values are database-ready: text, numbers, None, JSON as JSON text. Every other
    field takes its value from `fixed`, else the time `now` (auto_now fields), else its
    default: called again for each row where it is a function, so that each case and
    review gets its own public_id, as Model.save would give it.
    """

    def __init__(self, model, varying: tuple[str, ...], *, fixed: dict, now):
        template = model(**fixed)
        self.table = model._meta.db_table
        self.columns, cells, self.each = [], [], []
        for f in model._meta.concrete_fields:
            if f.primary_key and f.attname not in varying:
                continue
            self.columns.append(f.column)
            if f.attname in varying:
                cells.append(f"{{{varying.index(f.attname)}}}")
            elif f.attname in fixed or f.name in fixed:
                cells.append(_fixed_cell(f, getattr(template, f.attname)))
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                cells.append(_fixed_cell(f, now))
            elif f.has_default() and callable(f.default):
                cells.append(f"{{each{len(self.each)}}}")
                self.each.append(f)
            else:
                cells.append(_fixed_cell(f, getattr(template, f.attname)))
        self.line = ("\t".join(cells) + "\n").format  # one template: fixed cells written once

    def run(self, rows: Iterator[tuple]) -> None:
        lines = (
            self.line(
                *map(_copy_text, row),
                **{
                    f"each{i}": _copy_text(_prepared(f, f.get_default()))
                    for i, f in enumerate(self.each)
                },
            )
            for row in rows
        )
        columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cursor:
            # Check foreign keys as the rows go in, not all at the commit: the same work,
            # without the server queueing an event per row until the end.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.cursor.copy_expert(
                f"COPY {connection.ops.quote_name(self.table)} ({columns}) FROM STDIN",
                _Reading(lines),
                size=COPY_BLOCK,
            )


COPY_BLOCK = 256 * 1024  # characters sent to the server at a time


class _Reading:
    """A file-like object whose read() gives the text of `lines` block by block, for COPY."""

    def __init__(self, lines: Iterator[str]):
        self.lines = lines

    def read(self, size: int = -1) -> str:
        block, length = [], 0
        for line in self.lines:
            block.append(line)
            length += len(line)
            if 0 <= size <= length:
                break
        return "".join(block)


def _prepared(f, value):
    if isinstance(f, models.JSONField):
        return None if value is None else json.dumps(value)
    return f.get_db_prep_save(value, connection)


def _fixed_cell(f, value) -> str:
    return _copy_text(_prepared(f, value)).replace("{", "{{").replace("}", "}}")


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """Return `value` as a field of COPY's text format."""
    if value.__class__ is str:
        return value.translate(_COPY_ESCAPES)
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if value.__class__ is int or isinstance(value, uuid.UUID):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).translate(_COPY_ESCAPES)
