"""The assessment dataset: one CSV row per case, for analysts (out) and historical data (in).

Columns: inspection, case_ref, provider, gender, age, ethnicity, supervision,
ogrs, rosh, mappa, then one column per question and summary judgement code of
the framework, in its order. A dataset may hold only some question columns; an
absent or empty cell means "not recorded". Multiple choices are separated by
";". A cell that a spreadsheet would take for a formula (starting = + - @) is
written with a leading apostrophe, which reading takes off. Reading checks every
row and names the row and column of each fault; importing stores nothing unless
every row is good.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from casereview.answers import clean_value
from casereview.models import Answer, Review, ReviewEvent
from inspection.models import Case, Inspection
from inspection.sample_import import EXPECTED, WORDS, RowError
from standards.models import AnswerType, FrameworkVersion
from standards.selectors import framework_questions

CASE_COLUMNS = ["inspection", "case_ref", "provider", "gender", "age", "ethnicity", "supervision",
                "ogrs", "rosh", "mappa"]  # fmt: skip
LABELS = {
    "provider": {"crc": "CRC", "nps": "NPS"},
    "gender": {"male": "Male", "female": "Female"},
    "ethnicity": {e: e.capitalize() for e in ("white", "black", "asian", "mixed", "other")},
    "supervision": {"community": "community", "post_custody": "post-custody"},
    "rosh": {"low": "Low", "medium": "Medium", "high": "High", "very_high": "Very high"},
}


# A cell starting with = + - @ (or a tab or carriage return) is a formula to a spreadsheet:
# such cells are written with a leading apostrophe, the usual defence against CSV injection,
# and read back without it. Apostrophes already there are kept, so every text round-trips.
FORMULA = re.compile(r"'*[=+\-@\t\r]")
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def spreadsheet_cell(text: str) -> str:
    """Return `text` as a CSV cell that a spreadsheet shows as text, never runs as a formula."""
    if FORMULA.match(text) and not NUMBER.fullmatch(text):
        return "'" + text
    return text


def spreadsheet_text(cell: str) -> str:
    """Return the text that spreadsheet_cell wrote as `cell`."""
    if cell.startswith("'") and spreadsheet_cell(cell[1:]) == cell:
        return cell[1:]
    return cell


def dataset_columns(version: FrameworkVersion) -> list[str]:
    return CASE_COLUMNS + [q.code for q in framework_questions(version)]


def write_dataset(inspection: Inspection, out) -> int:
    """Write every case of `inspection` with its answers as CSV to `out`; return the rows."""
    questions = framework_questions(inspection.framework_version)
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
            inspection.slug, case.case_ref, LABELS["provider"].get(case.provider, ""),
            LABELS["gender"].get(case.gender, ""), "" if case.age is None else case.age,
            LABELS["ethnicity"].get(case.ethnicity, ""),
            LABELS["supervision"].get(case.supervision, ""),
            "" if case.ogrs is None else case.ogrs, LABELS["rosh"].get(case.rosh, ""),
            {True: "yes", False: "no"}.get(case.mappa, ""),
        ]  # fmt: skip
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


@dataclass
class Dataset:
    cases: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def read_dataset(data: bytes, *, slug: str, version: FrameworkVersion,
                 existing_refs: set[str] = frozenset()) -> Dataset:  # fmt: skip
    """Return the cases and answers in dataset CSV `data`, or every fault with row and column."""
    result = Dataset()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.errors.append(RowError(0, "", "The file is not UTF-8 text: save it as CSV UTF-8."))
        return result
    if "\x00" in text:
        result.errors.append(RowError(0, "", "The file holds NUL bytes: it is not a CSV file."))
        return result
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    questions = {q.code: q for q in framework_questions(version)}
    unknown = [name for name in header if name not in CASE_COLUMNS and name not in questions]
    for name in unknown:
        result.errors.append(RowError(1, name, "is neither a case column nor a question code "
                                               f"of framework {version.version}."))  # fmt: skip
    for required in ("inspection", "case_ref"):
        if required not in header:
            result.errors.append(RowError(1, required, "The column is missing."))
    if result.errors:
        return result
    reader.fieldnames = header
    seen: set[str] = set()
    for number, raw in enumerate(reader, start=2):
        if None in raw:
            result.errors.append(RowError(number, "", "The row has more cells than the header."))
            continue
        cells = {name: spreadsheet_text((value or "").strip()) for name, value in raw.items()}
        if not any(cells.values()):
            continue
        case, errors = _read_case(number, cells, slug, questions)
        ref = case.get("case_ref")
        if ref in existing_refs:
            errors.append(RowError(number, "case_ref", f"{ref} is already in the inspection."))
        elif ref in seen:
            errors.append(RowError(number, "case_ref", f"{ref} is on an earlier row too."))
        seen.add(ref)
        result.errors += errors
        result.cases.append(case)
    if not result.cases and not result.errors:
        result.errors.append(RowError(2, "", "The file holds no cases."))
    return result


def _read_case(number, cells, slug, questions) -> tuple[dict, list[RowError]]:
    errors: list[RowError] = []

    def fail(column, message):
        errors.append(RowError(number, column, message))

    if cells.get("inspection") != slug:
        fail("inspection", f"{cells.get('inspection')!r} is not the inspection {slug!r}.")
    case: dict = {"case_ref": cells.get("case_ref", "")}
    if not case["case_ref"]:
        fail("case_ref", "Enter the case reference.")
    elif len(case["case_ref"]) > 40:
        fail("case_ref", "Use up to 40 characters for the case reference.")
    for column, words in WORDS.items():
        if column not in ("provider", "gender", "ethnicity", "supervision", "rosh", "mappa"):
            continue
        value = cells.get(column, "")
        if not value:
            case[column] = None if column == "mappa" else ""
        elif value.lower() in words:
            case[column] = words[value.lower()]
        else:
            fail(column, f"{value!r} is not one of {EXPECTED[column]}.")
    for column, low, high in (("age", 18, 110), ("ogrs", 0, 99)):
        value = cells.get(column, "")
        case[column] = None
        if value:
            if value.isdigit() and low <= int(value) <= high:
                case[column] = int(value)
            else:
                fail(column, f"{value!r} is not a whole number from {low} to {high}.")
    answers = {}
    for code, question in questions.items():
        value = cells.get(code, "")
        if not value:
            continue
        raw = value.split(";") if question.answer_type == AnswerType.MULTIPLE_CHOICE else value
        try:
            answers[question] = clean_value(question, raw)
        except ValidationError as invalid:
            fail(code, " ".join(invalid.messages))
    case["answers"] = answers
    return case, errors


@transaction.atomic
def dataset_import(*, data: bytes, slug: str, version: FrameworkVersion, by) -> Dataset:
    """Import a historical dataset as agreed reviews of inspection `slug` (created when new)."""
    inspection = Inspection.objects.select_for_update().filter(slug=slug).first()
    if inspection is not None and inspection.framework_version_id != version.pk:
        version = inspection.framework_version
    existing = set(inspection.cases.values_list("case_ref", flat=True)) if inspection else set()
    dataset = read_dataset(data, slug=slug, version=version, existing_refs=existing)
    if dataset.errors:
        transaction.set_rollback(True)
        return dataset
    if inspection is None:
        inspection = Inspection(
            name=slug.replace("-", " ").capitalize(), slug=slug, framework_version=version,
            status=Inspection.Status.PUBLISHED,
        )  # fmt: skip
        inspection.full_clean()
        inspection.save()
    now = timezone.now()
    for row in dataset.cases:
        answers = row.pop("answers")
        case = Case(inspection=inspection, **row)
        case.full_clean(exclude=["inspection"])
        case.save()
        review = Review.objects.create(case=case, status=Review.Status.AGREED, started_at=now,
                                       submitted_at=now)  # fmt: skip
        ReviewEvent.objects.create(review=review, from_status=Review.Status.IN_PROGRESS,
                                   to_status=Review.Status.AGREED, actor=by,
                                   note="Imported from a historical dataset.")  # fmt: skip
        Answer.objects.bulk_create(
            Answer(review=review, question=question, value=value, version=1, updated_by=by)
            for question, value in answers.items()
        )
    return dataset


def importing_user(username: str):
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise ValidationError(f"There is no user {username!r} to record as the importer.")
    return user
