"""The framework as a data-dictionary CSV: from the command line and from the browser."""

import csv
import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.seed import seed_codes, seed_lines, squash

COLUMNS = [
    "code", "kind", "section", "standard", "key_question", "key_question_text", "parent", "text",
    "guidance", "answer_type", "choices", "number_range", "weight", "applies_when",
]  # fmt: skip


def export(*args) -> list[dict]:
    out = StringIO()
    call_command("export_framework", *args, stdout=out)
    reader = csv.DictReader(io.StringIO(out.getvalue()))
    assert reader.fieldnames == COLUMNS
    return list(reader)


def test_it_writes_one_row_per_question_and_judgement(framework):
    rows = export()

    assert len(rows) == 130
    by_code = {row["code"]: row for row in rows}
    assert by_code["A3.7"] == {
        **by_code["A3.7"],
        "kind": "Question",
        "section": "A Assessment",
        "standard": "Assessment",
        "key_question": "A3",
        "answer_type": "yes_no",
        "weight": "background",
        "applies_when": "Only if A3.6 is Yes",
    }
    assert (
        by_code["A3.9"]["choices"]
        == "low (Low); medium (Medium); high (High); very_high (Very high)"
    )
    assert by_code["A0.1-ogrs"]["parent"] == "A0.1"
    assert by_code["A0.1-ogrs"]["number_range"] == "0 to 99, whole numbers"
    assert by_code["R3S"]["kind"] == "Summary judgement"
    assert by_code["I6.1"]["applies_when"] == "All cases"
    assert by_code["D1.4"]["applies_when"] == "Post-custody cases only"
    assert by_code["A1.1"]["guidance"].startswith("Inspectors are looking for more than a simple")


def test_it_lists_every_code_of_the_seed_with_its_guidance(framework):
    rows = {row["code"]: row for row in export()}
    seed = squash("\n".join(seed_lines()))
    # Key question codes (A1, ...) are columns of the rows, not rows of their own.
    key_questions = {row["key_question"] for row in rows.values()}

    assert seed_codes() - key_questions - set(rows) == set()
    for code, row in rows.items():
        for paragraph in filter(None, row["guidance"].split("\n\n")):
            assert squash(paragraph) in seed, code
    assert all(rows[code]["guidance"] for code in ("A1.1", "A3.13", "R3.3", "D3S", "V3.1"))


def test_it_exports_a_named_version(framework):
    assert len(export("--framework", framework.framework, "--framework-version", "2018.1")) == 130


def test_it_refuses_a_version_that_is_not_loaded(framework):
    with pytest.raises(CommandError, match="No such framework version"):
        export("--framework-version", "1999.9")


def test_a_signed_in_user_downloads_the_same_file(signed_in, framework):
    url = reverse("standards:framework_csv", args=[framework.framework, framework.version])

    response = signed_in.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        "hmip-adult-case-assessment-2018.1-data-dictionary.csv" in response["Content-Disposition"]
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert rows == export()


def test_an_anonymous_visitor_gets_no_csv(client, framework):
    url = reverse("standards:framework_csv", args=[framework.framework, framework.version])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert b"A1.1" not in response.content
