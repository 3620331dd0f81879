"""The assessment dataset: one CSV row per case, for analysts (out) and historical data (in).

Columns: inspection, case_ref, provider, gender, age, ethnicity, supervision,
ogrs, rosh, mappa, then one column per question and summary judgement code of
the framework, in its order. A dataset may hold only some question columns; an
absent or empty cell means "not recorded". Multiple choices are separated by
";". Wherever a spreadsheet could read a formula in a cell, an apostrophe is
written before it (spreadsheet_cell), and reading takes it off again.

Importing reads the file twice over, streamed: first every row is checked and
the good ones are kept, cleaned, in a temporary file; only when no row has a
fault are they stored, a few thousand at a time, with COPY (Postgres). A
decade of an inspectorate's data (100,000 cases) is checked and stored in well
under two minutes without the file or its cases ever being held in memory
whole (bench/import_assessments.py).
"""

import csv
import io
import json
import pickle
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from casereview.answers.services import answers_store
from casereview.answers.values import clean_value
from casereview.models import Answer
from casereview.workflow.services import reviews_store_agreed
from inspection.case_refs import case_ref_clean
from inspection.csv_rows import CsvRows, RowError
from inspection.models import SAMPLE_FIELDS, Inspection
from inspection.sample_import import EXPECTED, WORDS
from inspection.services import cases_store, inspection_create
from standards.models import AnswerType, FrameworkVersion
from standards.selectors import framework_questions

# The case fields a dataset row gives, in the order rows are kept between the two readings:
# the sample's, less the dates and the team (a published dataset carries neither).
CASE_FIELDS = tuple(
    name
    for name in SAMPLE_FIELDS
    if name not in ("date_of_birth", "sentence_date", "release_date", "ldu")
)
CASE_COLUMNS = ["inspection", *CASE_FIELDS]
LABELS = {
    "provider": {"crc": "CRC", "nps": "NPS"},
    "gender": {"male": "Male", "female": "Female"},
    "ethnicity": {e: e.capitalize() for e in ("white", "black", "asian", "mixed", "other")},
    "supervision": {"community": "community", "post_custody": "post-custody"},
    "rosh": {"low": "Low", "medium": "Medium", "high": "High", "very_high": "Very high"},
}
SHOWN_ERRORS = 100  # the faults kept to show; the rest are counted
CHUNK = 5_000  # rows kept (and stored by bulk_create) at a time
CHUNK_ANSWERS = 50_000  # or fewer rows, when they hold this many answers
PROGRESS_EVERY = 10_000  # rows between progress lines

# --- Cells a spreadsheet must show as text ---------------------------------------------------
#
# A spreadsheet runs a cell as a formula when it starts with = + - or @ (also after spaces,
# and in their full-width forms), and some strip a leading tab, CR or line feed first. It may
# also start a cell where this file does not: a spreadsheet set for a semicolon list
# separator, or a file taken for tab-separated, splits a cell at ; or a tab, and a reader
# ignoring quotes splits at commas and line breaks. So an apostrophe goes before every such
# place where a formula could begin: the cell's start and just after each , ; tab, CR or LF.
# A cell holding a DDE call (cmd|' /C calc'!A0) gets one at its start too. Reading takes off
# exactly the apostrophes writing added: an apostrophe already there counts as part of the
# formula-like text (the patterns start with '*), so "'=x" is written "''=x" and every text
# reads back as it was. Numbers (-12, -0.5) are left alone: they are values, not formulas.
_TRIGGER = r"'*[ \u00a0]*[=+\-@\uff1d\uff0b\uff0d\uff20]"
_AFTER_SEPARATOR = r"(?<=[,;\t\r\n])"
_FORMULA_START = re.compile(rf"{_TRIGGER}|'*[\t\r\n]")
_FORMULA_INSIDE = re.compile(rf"{_AFTER_SEPARATOR}(?={_TRIGGER})")
_QUOTED_INSIDE = re.compile(rf"{_AFTER_SEPARATOR}'(?={_TRIGGER})")
_DDE = re.compile(r"\|.*!", re.DOTALL)
_RISKY = re.compile(r"[=+\-@\uff1d\uff0b\uff0d\uff20\t\r\n|]")
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def spreadsheet_cell(text: str) -> str:
    """Return `text` as a CSV cell that a spreadsheet shows as text, never runs as a formula."""
    if not _RISKY.search(text) or NUMBER.fullmatch(text):
        return text
    cell = _FORMULA_INSIDE.sub("'", text)
    if _FORMULA_START.match(text) or _DDE.search(text):
        cell = "'" + cell
    return cell


def spreadsheet_text(cell: str) -> str:
    """Return the text that spreadsheet_cell wrote as `cell`."""
    if "'" not in cell:
        return cell
    text = _QUOTED_INSIDE.sub("", cell)
    if text.startswith("'") and (_FORMULA_START.match(text, 1) or _DDE.search(text)):
        text = text[1:]
    return text


# --- Export ------------------------------------------------------------------------------------


def dataset_columns(version: FrameworkVersion) -> list[str]:
    return CASE_COLUMNS + [q.code for q in framework_questions(version=version)]


def write_dataset(inspection: Inspection, out) -> int:
    """Write every case of `inspection` with its answers as CSV to `out`; return the rows."""
    questions = framework_questions(version=inspection.framework_version)
    by_pk = {q.pk: q for q in questions}
    answers: dict[int, dict[str, str]] = {}
    for case_id, question_id, value in Answer.objects.filter(
        review__case__inspection=inspection
    ).values_list("review__case_id", "question_id", "value"):
        answers.setdefault(case_id, {})[by_pk[question_id].code] = _cell(value)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(dataset_columns(inspection.framework_version))
    cases = inspection.cases.order_by("case_ref")
    for case in cases:
        row = [
            inspection.slug,
            case.case_ref,
            LABELS["provider"].get(case.provider, ""),
            LABELS["gender"].get(case.gender, ""),
            "" if case.age is None else case.age,
            LABELS["ethnicity"].get(case.ethnicity, ""),
            LABELS["supervision"].get(case.supervision, ""),
            "" if case.ogrs is None else case.ogrs,
            LABELS["rosh"].get(case.rosh, ""),
            {True: "yes", False: "no"}.get(case.mappa, ""),
        ]
        found = answers.get(case.pk, {})
        cells = row + [found.get(q.code, "") for q in questions]
        writer.writerow([spreadsheet_cell(c) if isinstance(c, str) else c for c in cells])
    return len(cases)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


# --- Reading -----------------------------------------------------------------------------------


@dataclass
class Dataset:
    rows: int = 0  # the cases the file holds, good or bad
    errors: list[RowError] = field(default_factory=list)  # the first SHOWN_ERRORS faults
    error_count: int = 0
    inspection_created: bool = False
    cases_created: int = 0
    answers_created: int = 0

    def fault(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < SHOWN_ERRORS:
            self.errors.append(error)

    @property
    def more_errors(self) -> int:
        """Return how many faults there are beyond those kept in `errors`."""
        return self.error_count - len(self.errors)


Progress = Callable[[str], None]


def read_dataset(
    data: bytes | BinaryIO,
    *,
    slug: str,
    version: FrameworkVersion,
    existing_refs: set[str] = frozenset(),
    progress: Progress | None = None,
) -> Dataset:
    """Return the dataset CSV `data` checked: how many cases it holds, or every fault."""
    dataset = Dataset()
    for _ in _good_rows(
        data, dataset, slug=slug, version=version, existing_refs=existing_refs, progress=progress
    ):
        pass
    return dataset


def _good_rows(
    data, dataset: Dataset, *, slug, version, existing_refs, progress
) -> Iterator[tuple]:
    """Check every row of `data`, recording faults in `dataset`; yield each good row's
    (case values in CASE_FIELDS order, [(question id, answer as JSON)]) while none is bad."""
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    rows = CsvRows(stream, fault=dataset.fault)
    records = iter(rows)
    if next(records, None) is None:
        if not dataset.error_count:
            dataset.fault(
                RowError(None, "", "The file is empty: the first row must name the columns.")
            )
        return
    header = rows.header
    questions = {q.code: q for q in framework_questions(version=version)}
    for name in header:
        if name not in CASE_COLUMNS and name not in questions:
            dataset.fault(
                RowError(
                    1,
                    name,
                    f"is neither a case column nor a question code of framework {version.version}.",
                )
            )
    for name in {name for name in header if header.count(name) > 1}:
        dataset.fault(RowError(1, name, "The column is named twice."))
    for required in ("inspection", "case_ref"):
        if required not in header:
            dataset.fault(RowError(1, required, "The column is missing."))
    if dataset.error_count:
        return
    reader = _RowReader(header, questions, slug)
    seen: set[str] = set()
    for number, raw in records:
        if len(raw) > len(header):
            dataset.fault(RowError(number, "", "The row has more cells than the header."))
            continue
        if not any(cell.strip() for cell in raw):
            continue  # blank lines at the end of spreadsheets' exports
        dataset.rows += 1
        case, answers, errors = reader.read(number, raw)
        ref = case[0]
        if ref in existing_refs:
            errors.append(RowError(number, "case_ref", f"{ref} is already in the inspection."))
        elif ref in seen:
            errors.append(RowError(number, "case_ref", f"{ref} is on an earlier row too."))
        elif ref:
            seen.add(ref)
        for error in errors:
            dataset.fault(error)
        if progress and dataset.rows % PROGRESS_EVERY == 0:
            progress(f"Checked {dataset.rows:,} rows: {dataset.error_count:,} problem(s) so far.")
        if not dataset.error_count:
            yield case, answers
    if not dataset.rows and not dataset.error_count:
        dataset.fault(RowError(None, "", "The file holds no cases."))


class _RowReader:
    """Check the cells of one dataset row; the header's work done once for every row."""

    CHOSEN = ("provider", "gender", "ethnicity", "supervision", "rosh", "mappa")
    RANGES = (("age", 18, 110), ("ogrs", 0, 99))

    def __init__(self, header: list[str], questions: dict, slug: str):
        self.slug, self.width = slug, len(header)
        self.position = index = {name: position for position, name in enumerate(header)}
        self.missing = self.width  # the position of an absent column: an empty cell
        self.at = {name: index.get(name, self.missing) for name in CASE_COLUMNS}
        # Plain values, not the models' choice members: rows are kept in a file between the
        # check and the storing, and a plain string is all the database needs.
        self.words = {
            column: {word: getattr(value, "value", value) for word, value in WORDS[column].items()}
            for column in self.CHOSEN
        }
        self.questions = [
            (index[code], q, q.pk, q.answer_type == AnswerType.MULTIPLE_CHOICE)
            for code, q in questions.items()
            if code in index
        ]
        self.json: dict[str, str] = {}  # a few values ("yes", a choice) make most answers

    def read(self, number: int, raw: list[str]) -> tuple[tuple, list, list[RowError]]:
        errors: list[RowError] = []
        cells = [spreadsheet_text(cell.strip()) for cell in raw]
        cells += [""] * (self.width + 1 - len(cells))
        at = self.at
        if (given := cells[at["inspection"]]) != self.slug:
            message = f"{given!r} is not the inspection {self.slug!r}."
            errors.append(RowError(number, "inspection", message))
        values: dict = {}
        try:
            values["case_ref"] = case_ref_clean(cells[at["case_ref"]])
        except ValidationError as invalid:
            errors.append(RowError(number, "case_ref", invalid.messages[0]))
            values["case_ref"] = ""
        for column in self.CHOSEN:
            value = cells[at[column]]
            if not value:
                values[column] = None if column == "mappa" else ""
            elif (word := self.words[column].get(value.lower(), self)) is not self:
                values[column] = word
            else:
                errors.append(
                    RowError(number, column, f"{value!r} is not one of {EXPECTED[column]}.")
                )
        for column, low, high in self.RANGES:
            value = cells[at[column]]
            values[column] = None
            if value:
                if value.isdigit() and low <= int(value) <= high:
                    values[column] = int(value)
                else:
                    errors.append(
                        RowError(
                            number, column, f"{value!r} is not a whole number from {low} to {high}."
                        )
                    )
        answers = []
        for position, question, pk, multiple in self.questions:
            value = cells[position]
            if not value:
                continue
            try:
                cleaned = clean_value(question, value.split(";") if multiple else value)
            except ValidationError as invalid:
                errors.append(RowError(number, question.code, " ".join(invalid.messages)))
                continue
            if cleaned is None:
                continue
            encoded = self.json.get(cleaned) if cleaned.__class__ is str else None
            if encoded is None:
                encoded = json.dumps(cleaned)
                if cleaned.__class__ is str and len(cleaned) <= 40:
                    self.json[cleaned] = encoded
            answers.append((pk, encoded))
        if len(errors) > 1:  # in the order of the file's columns, as the person reads it
            errors.sort(key=lambda error: self.position.get(error.column, -1))
        return tuple(values.get(name) for name in CASE_FIELDS), answers, errors


# --- Importing ---------------------------------------------------------------------------------


@transaction.atomic
def dataset_import(
    *,
    data: bytes | BinaryIO,
    slug: str,
    version: FrameworkVersion,
    by,
    progress: Progress | None = None,
) -> Dataset:
    """Import a historical dataset as agreed reviews of inspection `slug` (created when new).

    Every row is checked before anything is stored; with any fault, nothing is.
    """
    say = progress or (lambda line: None)
    inspection = Inspection.objects.select_for_update().filter(slug=slug).first()
    if inspection is not None and inspection.framework_version_id != version.pk:
        version = inspection.framework_version
    existing = set(inspection.cases.values_list("case_ref", flat=True)) if inspection else set()
    dataset = Dataset()
    say("Checking every row before anything is stored.")
    with tempfile.TemporaryFile() as kept:
        chunk: list = []
        answers = 0
        for row in _good_rows(
            data, dataset, slug=slug, version=version, existing_refs=existing, progress=progress
        ):
            chunk.append(row)
            answers += len(row[1])
            if len(chunk) == CHUNK or answers >= CHUNK_ANSWERS:
                pickle.dump(chunk, kept, protocol=pickle.HIGHEST_PROTOCOL)
                chunk, answers = [], 0
        if dataset.error_count:
            say(
                f"Checked {dataset.rows:,} rows: {dataset.error_count:,} problem(s), so nothing "
                "is stored."
            )
            return dataset
        pickle.dump(chunk, kept, protocol=pickle.HIGHEST_PROTOCOL)
        say(f"Checked {dataset.rows:,} rows: no problems. Storing them.")
        if inspection is None:
            inspection = inspection_create(
                name=slug.replace("-", " ").capitalize(),
                slug=slug,
                framework_version=version,
                status=Inspection.Status.PUBLISHED,
            )
            dataset.inspection_created = True
        _store(_KeptRows(kept), dataset, inspection=inspection, by=by, say=say)
    say(
        f"Stored {dataset.cases_created:,} cases and {dataset.answers_created:,} answers; "
        "committing."
    )
    return dataset


class _KeptRows:
    """The checked rows kept in a temporary file, read again from the start for each table."""

    def __init__(self, file):
        self.file = file

    def chunks(self) -> Iterator[list]:
        self.file.seek(0)
        while True:
            try:
                yield pickle.load(self.file)  # noqa: S301 - our own file, written just now
            except EOFError:
                return


def _store(kept: _KeptRows, dataset: Dataset, *, inspection, by, say) -> None:
    """Store the checked rows, each table by the services of the app that owns it.

    Each table's rows are streamed from the kept file in turn, so that no table's rows are
    ever held in memory whole; the ids of the cases and reviews are kept (a number each).
    """

    def rows(make):
        position = 0
        for chunk in kept.chunks():
            for case, answers in chunk:
                yield from make(position, case, answers)
                position += 1

    say(f"Storing {dataset.rows:,} cases.")
    case_ids = cases_store(
        inspection=inspection,
        fields=CASE_FIELDS,
        rows=rows(lambda i, case, _: [case]),
        count=dataset.rows,
    )
    dataset.cases_created = len(case_ids)
    say(f"Storing their {dataset.rows:,} agreed reviews.")
    review_ids = reviews_store_agreed(case_ids=case_ids, by=by)
    del case_ids

    def answers(i, case, given):
        if i and i % PROGRESS_EVERY == 0:
            say(f"Storing answers: {i:,} of {dataset.rows:,} cases done.")
        dataset.answers_created += len(given)
        return [(review_ids[i], question_id, value) for question_id, value in given]

    say("Storing the answers.")
    answers_store(rows=rows(answers), by=by)


def importing_user(username: str):
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise ValidationError(f"There is no user {username!r} to record as the importer.")
    return user
