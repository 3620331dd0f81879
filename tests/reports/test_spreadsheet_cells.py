"""No cell of an exported CSV is read as a formula anywhere a spreadsheet could start one, and
every text reads back as it was."""

import csv
import io
import itertools
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from casereview.models import Answer
from inspection.models import Inspection
from reports.datasets import spreadsheet_cell, spreadsheet_text
from tests.reports.helpers import agreed_case

TRIGGERS = "=+-@\uff1d\uff0b\uff0d\uff20"
# Where a spreadsheet could start a cell: the start, and after a separator some programs
# split at (a semicolon list separator, tab-separated text, a reader ignoring quotes).
SEPARATORS = ",;\t\r\n"


def formula_places(cell: str) -> list[int]:
    """Return where `cell` would start a formula to a spreadsheet (empty when nowhere)."""
    places = []
    starts = [0] + [i + 1 for i, char in enumerate(cell) if char in SEPARATORS]
    for start in starts:
        rest = cell[start:].lstrip(" \u00a0")
        if rest[:1] in set(TRIGGERS) or (start == 0 and cell[:1] in ("\t", "\r", "\n")):
            places.append(start)
    if re.search(r"\|.*!", cell, re.DOTALL) and not cell.startswith("'"):
        places.append(0)  # a DDE call (cmd|' /C calc'!A0) in a cell not marked as text
    return places


def is_number(cell: str) -> bool:
    return re.fullmatch(r"-?\d+(\.\d+)?", cell) is not None


EXAMPLES = [
    ("=1+1", "'=1+1"),
    ("'=1+1", "''=1+1"),
    (" =1+1", "' =1+1"),
    ("\t=1+1", "'\t'=1+1"),
    ("\rnote", "'\rnote"),
    ("\nnote", "'\nnote"),
    ("a;=1+1", "a;'=1+1"),
    ("a; @SUM(A1)", "a;' @SUM(A1)"),
    ("first\n-2+3", "first\n'-2+3"),
    ("x\t+cmd", "x\t'+cmd"),
    ("Seen, =HYPERLINK()", "Seen,' =HYPERLINK()"),
    ("see cmd|' /C calc'!A0", "'see cmd|' /C calc'!A0"),
    ("\uff1d1+1", "'\uff1d1+1"),
    ("-12", "-12"),
    ("-0.5", "-0.5"),
    ("drug_misuse;accommodation", "drug_misuse;accommodation"),
    ("Seen twice - once at home", "Seen twice - once at home"),
]


@pytest.mark.parametrize(("text", "cell"), EXAMPLES)
def test_an_apostrophe_goes_wherever_a_formula_could_begin(text, cell):
    assert spreadsheet_cell(text) == cell
    assert spreadsheet_text(cell) == text


def test_every_short_text_is_made_safe_and_reads_back_exactly():
    # Every text of up to five characters from the characters that matter: apostrophes,
    # triggers, spaces, separators, a DDE call's | and !, a letter and a digit.
    alphabet = ["'", "=", "-", "@", " ", ";", ",", "\t", "\n", "|", "!", "a", "1"]
    unsafe, changed = [], []
    for size in range(1, 6):
        for letters in itertools.product(alphabet, repeat=size):
            text = "".join(letters)
            cell = spreadsheet_cell(text)
            if formula_places(cell) and not is_number(cell):
                unsafe.append(repr(text))
            if spreadsheet_text(cell) != text:
                changed.append(repr(text))

    assert unsafe[:10] == [] and changed[:10] == []


def test_the_report_pages_csv_is_safe_and_imports_again_unchanged(
    client, inspection, inspector, lead, writer, admin_user, framework, tmp_path
):
    texts = ["=1+1", "Plan agreed; =HYPERLINK(\"http://x\")", "Visits:\n- weekly\n+ monthly",
             "Seen at home,\t@SUM(A1)", "see cmd|' /C calc'!A0"]  # fmt: skip
    for number, text in enumerate(texts):
        case = agreed_case(inspection, inspector, lead, case_ref=f"F{number}")
        Answer.objects.filter(review__case=case, question__code="I6.1").update(value=text)
    client.force_login(writer)

    first = client.get(reverse("reports:export", args=[inspection.public_id])).content.decode()

    cells = [cell for row in csv.reader(io.StringIO(first)) for cell in row]
    assert [c for c in cells if formula_places(c) and not is_number(c)] == []
    (tmp_path / "data.csv").write_text(first, encoding="utf-8")
    slug = inspection.slug
    Inspection.objects.filter(pk=inspection.pk).delete()
    call_command("import_assessments", str(tmp_path / "data.csv"), "--inspection", slug,
                 "--user", admin_user.username, stdout=StringIO(), stderr=StringIO())  # fmt: skip
    again = Inspection.objects.get(slug=slug)
    imported = Answer.objects.filter(review__case__inspection=again, question__code="I6.1")
    assert sorted(imported.values_list("value", flat=True)) == sorted(texts)
    client.force_login(admin_user)
    assert client.get(reverse("reports:export", args=[again.public_id])).content.decode() == first
