"""Read a case-sample CSV: every row checked, every fault reported with row and column.

Parsing writes nothing; `services.case_sample_import` stores the rows only when
there is no fault at all. The file is read by `csv_rows` (as the dataset import
reads its own), the references checked by `case_refs` (as everywhere).
"""

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError

from config.text import invisible_characters_problem
from inspection.case_refs import case_ref_clean
from inspection.csv_rows import CsvRows, RowError
from inspection.models import SAMPLE_FIELDS, Case, Provider

COLUMNS = SAMPLE_FIELDS
MAX_BYTES = 2_000_000
MAX_ROWS = 5_000
ADULT_AGES = range(18, 111)

WORDS = {
    "provider": {"crc": Provider.Kind.CRC, "nps": Provider.Kind.NPS},
    "gender": {
        "male": Case.Gender.MALE,
        "m": Case.Gender.MALE,
        "female": Case.Gender.FEMALE,
        "f": Case.Gender.FEMALE,
    },
    "ethnicity": {e.label.lower(): e.value for e in Case.Ethnicity},
    "supervision": {
        "community": Case.Supervision.COMMUNITY,
        "community sentence": Case.Supervision.COMMUNITY,
        "post-custody": Case.Supervision.POST_CUSTODY,
        "post custody": Case.Supervision.POST_CUSTODY,
        "post_custody": Case.Supervision.POST_CUSTODY,
        "licence": Case.Supervision.POST_CUSTODY,
    },
    "rosh": {
        "low": Case.Rosh.LOW,
        "medium": Case.Rosh.MEDIUM,
        "high": Case.Rosh.HIGH,
        "very high": Case.Rosh.VERY_HIGH,
        "very_high": Case.Rosh.VERY_HIGH,
    },
    "mappa": {"yes": True, "y": True, "no": False, "n": False},
}
EXPECTED = {
    "provider": "CRC or NPS",
    "gender": "Male or Female",
    "ethnicity": "White, Black, Asian, Mixed or Other",
    "supervision": "community or post-custody",
    "rosh": "Low, Medium, High or Very high",
    "mappa": "yes or no",
}


@dataclass
class SampleFile:
    rows: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def read_sample(data: bytes, *, existing_refs: set[str] = frozenset()) -> SampleFile:
    """Return the cases in CSV `data`, or the faults that stop it being imported."""
    result = SampleFile()
    if len(data) > MAX_BYTES:
        result.errors.append(
            RowError(None, "", f"The file is larger than {MAX_BYTES // 1_000_000} MB.")
        )
        return result
    rows = CsvRows(io.BytesIO(data), fault=result.errors.append)
    records = iter(rows)
    if next(records, None) is None:
        if not result.errors:
            result.errors.append(
                RowError(None, "", "The file is empty: the first row must name the columns.")
            )
        return result
    header = [name.lower() for name in rows.header]
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        result.errors.append(
            RowError(
                1,
                "",
                f"Unknown column(s): {', '.join(unknown)}. The columns are: {', '.join(COLUMNS)}.",
            )
        )
    if "case_ref" not in header:
        result.errors.append(RowError(1, "", "The column case_ref is missing."))
    if len(set(header)) != len(header):
        result.errors.append(RowError(1, "", "A column is named twice."))
    if result.errors:
        return result

    seen: dict[str, int] = {}
    for number, raw in records:
        if len(raw) > len(header):
            result.errors.append(RowError(number, "", "The row has more cells than the header."))
            continue
        given = dict(zip(header, raw, strict=False))
        cells = {name: given.get(name, "").strip() for name in COLUMNS}
        if not any(cells.values()):
            continue  # blank lines at the end of spreadsheets' exports
        if len(result.rows) >= MAX_ROWS:
            result.errors.append(
                RowError(number, "", f"More than {MAX_ROWS} cases: split the file.")
            )
            break
        row, errors = _read_row(number, cells)
        ref = row.get("case_ref")
        if ref:
            if ref in existing_refs:
                errors.append(RowError(number, "case_ref", f"{ref} is already in the sample."))
            elif ref in seen:
                errors.append(RowError(number, "case_ref", f"{ref} is also on row {seen[ref]}."))
            seen.setdefault(ref, number)
        result.errors += errors
        result.rows.append(row)
    if not result.rows and not result.errors:
        result.errors.append(RowError(None, "", "The file holds no cases."))
    return result


def _read_row(number: int, cells: dict[str, str]) -> tuple[dict, list[RowError]]:
    row: dict = {}
    errors: list[RowError] = []

    def fail(column: str, message: str):
        errors.append(RowError(number, column, message))

    try:
        row["case_ref"] = case_ref_clean(cells["case_ref"])
    except ValidationError as invalid:
        fail("case_ref", invalid.messages[0])

    for column, words in WORDS.items():
        value = cells[column]
        if not value:
            row[column] = None if column == "mappa" else ""
        elif value.lower() in words:
            row[column] = words[value.lower()]
        else:
            fail(column, f"{value!r} is not one of {EXPECTED[column]}.")

    for column in ("date_of_birth", "sentence_date", "release_date"):
        row[column] = None
        if cells[column]:
            parsed = _date(cells[column])
            if parsed is None:
                fail(column, f"{cells[column]!r} is not a date: use YYYY-MM-DD or DD/MM/YYYY.")
            elif parsed > date.today():
                fail(column, f"{parsed:%d/%m/%Y} is in the future.")
            else:
                row[column] = parsed

    row["ogrs"] = _whole_number(cells["ogrs"], "ogrs", range(0, 100), "a score from 0 to 99", fail)
    given_age = _whole_number(cells["age"], "age", ADULT_AGES, "an adult's age in years", fail)
    row["age"] = given_age
    start = row.get("release_date") if row.get("supervision") == "post_custody" else None
    start = start or row.get("sentence_date") or row.get("release_date")
    dob = row.get("date_of_birth")
    if dob and start:
        if dob >= start:
            fail(
                "date_of_birth",
                "The date of birth is not before the start of the order or licence.",
            )
        else:
            age = start.year - dob.year - ((start.month, start.day) < (dob.month, dob.day))
            if given_age is not None and given_age != age:
                fail(
                    "age",
                    f"{given_age} does not match the date of birth "
                    f"({age} at the start of the order or licence).",
                )
            elif age not in ADULT_AGES:
                fail("date_of_birth", f"The person was {age} at the start: not an adult case.")
            row["age"] = age

    if len(cells["ldu"]) > 120:
        fail("ldu", "Use up to 120 characters for the LDU.")
    elif problem := invisible_characters_problem(cells["ldu"], what="the LDU"):
        fail("ldu", problem)
    row["ldu"] = cells["ldu"]
    return row, errors


def _date(text: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _whole_number(text, column, allowed: range, wanted: str, fail) -> int | None:
    if not text:
        return None
    if not re.fullmatch(r"\d{1,3}", text) or int(text) not in allowed:
        fail(column, f"{text!r} is not {wanted}.")
        return None
    return int(text)
