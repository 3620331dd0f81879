"""The assessment dataset: export, import, export again gives the same file; bad files refused."""

import csv
import io
import subprocess
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from casereview.models import Answer, Review, ReviewEvent
from inspection.models import Case, Inspection
from reports.datasets import read_dataset
from tests.reports.helpers import agreed_case, pdf_pages


def export(slug: str) -> str:
    out = StringIO()
    call_command("export_assessments", "--inspection", slug, stdout=out)
    return out.getvalue()


def test_export_import_export_gives_the_same_file(
    inspection, inspector, lead, admin_user, tmp_path
):
    agreed_case(inspection, inspector, lead, provider="nps", gender="female", age=44,
                ethnicity="asian", supervision="post_custody", ogrs=81, rosh="very_high",
                mappa=True)  # fmt: skip
    agreed_case(inspection, inspector, lead, provider="", gender="", age=None, ethnicity="",
                supervision="", ogrs=None, rosh="", mappa=None)  # fmt: skip
    first = export(inspection.slug)
    (tmp_path / "data.csv").write_text(first, encoding="utf-8")
    slug = inspection.slug
    Inspection.objects.filter(pk=inspection.pk).delete()

    call_command("import_assessments", str(tmp_path / "data.csv"), "--inspection", slug,
                 "--user", admin_user.username, stdout=StringIO())  # fmt: skip

    assert export(slug) == first
    assert set(Review.objects.values_list("status", flat=True)) == {"agreed"}
    header = next(csv.reader(io.StringIO(first)))
    assert header[:10] == ["inspection", "case_ref", "provider", "gender", "age", "ethnicity",
                           "supervision", "ogrs", "rosh", "mappa"]  # fmt: skip
    assert "A1.1" in header and "A1S" in header and "A0.1-ogrs" in header


def test_a_historical_dataset_may_hold_a_few_questions(framework, admin_user, tmp_path):
    text = (
        "inspection,case_ref,provider,gender,age,A1S,A2S,A2.3\n"
        "old-durham,H1,CRC,Male,30,yes,no,drug_misuse;accommodation\n"
        "old-durham,H2,NPS,,,no,,\n"
    )
    (tmp_path / "old.csv").write_text(text, encoding="utf-8")

    call_command("import_assessments", str(tmp_path / "old.csv"), "--inspection", "old-durham",
                 "--user", admin_user.username, stdout=StringIO())  # fmt: skip

    h1 = Case.objects.get(case_ref="H1")
    assert (h1.provider, h1.gender, h1.age, h1.ethnicity) == ("crc", "male", 30, "")
    answers = dict(Answer.objects.filter(review__case=h1).values_list("question__code", "value"))
    assert answers == {"A1S": "yes", "A2S": "no", "A2.3": ["drug_misuse", "accommodation"]}
    assert Answer.objects.filter(review__case__case_ref="H2").count() == 1


def import_file(path, slug, user) -> tuple[str, str]:
    """Run import_assessments; return (its last line, what it wrote to stderr before it)."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import_assessments", str(path), "--inspection", slug, "--user",
                     user.username, stdout=out, stderr=err)  # fmt: skip
    except CommandError as refused:
        return str(refused), err.getvalue()
    return out.getvalue().strip().splitlines()[-1], err.getvalue()


def test_a_bad_file_is_refused_whole_with_row_and_column(framework, admin_user, tmp_path):
    text = "inspection,case_ref,provider,age,A1S,A1.1,Z9.9\nold,H1,CRC,30,yes,yes,\n"
    (tmp_path / "bad-header.csv").write_text(text, encoding="utf-8")
    last, problems = import_file(tmp_path / "bad-header.csv", "old", admin_user)
    assert "Row 1, column Z9.9: is neither a case column" in problems
    assert last == "Nothing was imported: 1 problem(s) in bad-header.csv, listed above."

    text = (
        "inspection,case_ref,provider,age,A1S,A1.1,A2.3\n"
        "old,H1,CRC,30,yes,yes,drug_misuse\n"
        "old,H2,Probation,12,maybe,na,gambling\n"
        "other,H3,NPS,40,no,no,\n"
    )
    (tmp_path / "bad.csv").write_text(text, encoding="utf-8")
    last, problems = import_file(tmp_path / "bad.csv", "old", admin_user)

    assert last == "Nothing was imported: 6 problem(s) in bad.csv, listed above."
    assert problems.splitlines()[-6:] == [
        "Row 3, column provider: 'Probation' is not one of CRC or NPS.",
        "Row 3, column age: '12' is not a whole number from 18 to 110.",
        "Row 3, column A1S: Select one of the answers given for A1S.",
        "Row 3, column A1.1: Select one of the answers given for A1.1.",
        "Row 3, column A2.3: Select from the choices given for A2.3.",
        "Row 4, column inspection: 'other' is not the inspection 'old'.",
    ]
    assert not Inspection.objects.filter(slug="old").exists()
    assert not Case.objects.exists()


def test_the_last_line_says_what_was_imported(framework, admin_user, inspection, tmp_path):
    text = "inspection,case_ref,A1S,A2S\nold,H1,yes,no\nold,H2,no,\n"
    (tmp_path / "old.csv").write_text(text, encoding="utf-8")
    again = f"inspection,case_ref,A1S\n{inspection.slug},H3,yes\n"
    (tmp_path / "again.csv").write_text(again, encoding="utf-8")

    new, progress = import_file(tmp_path / "old.csv", "old", admin_user)
    existing, _ = import_file(tmp_path / "again.csv", inspection.slug, admin_user)

    assert new == ("Imported into old: 1 inspection created, 2 cases (agreed reviews), "
                   "3 answers.")  # fmt: skip
    assert existing == (f"Imported into {inspection.slug}: 0 inspections created, 1 cases "
                        "(agreed reviews), 1 answers.")  # fmt: skip
    assert "Checked 2 rows: no problems. Storing them." in progress
    assert inspection.cases.get().case_ref == "H3"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "The file is empty: the first row must name the columns."),
        (b"inspection,case_ref\n", "The file holds no cases."),
        ("inspection,case_ref\nold,H1\n".encode("utf-16"),
         "The file is not UTF-8 text: save it as CSV UTF-8 and try again."),
        (b"inspection,case_ref\nold,H\x001\n", "The file holds NUL bytes: it is not a CSV file."),
    ],
)  # fmt: skip
def test_a_fault_of_the_whole_file_has_no_row_and_imports_nothing(
    framework, admin_user, tmp_path, content, reason
):
    (tmp_path / "f.csv").write_bytes(content)

    last, problems = import_file(tmp_path / "f.csv", "old", admin_user)

    assert problems.splitlines()[-1] == reason
    assert "Row 0" not in problems and last.startswith("Nothing was imported: 1 problem(s)")
    assert not Inspection.objects.filter(slug="old").exists()


def test_a_missing_file_or_user_imports_nothing_and_says_why(framework, admin_user, tmp_path):
    missing, _ = import_file(tmp_path / "nowhere.csv", "old", admin_user)
    (tmp_path / "f.csv").write_text("inspection,case_ref\nold,H1\n")
    admin_user.username = "nobody"

    nobody, _ = import_file(tmp_path / "f.csv", "old", admin_user)

    assert missing.startswith("Nothing was imported: ") and "nowhere.csv cannot be read" in missing
    assert nobody == ("Nothing was imported: There is no user 'nobody' to record as the "
                      "importer.")  # fmt: skip
    assert not Inspection.objects.filter(slug="old").exists()


def test_a_cell_over_the_csv_limit_is_named_by_row_and_column(framework, admin_user, tmp_path):
    limit = csv.field_size_limit()
    text = ("inspection,case_ref,I6.1,provider\n" "old,H1,Noted.,CRC\n"
            f"old,H2,{'x' * (limit + 1)},CRC\n" "old,H3,,Probation\n")  # fmt: skip
    (tmp_path / "long.csv").write_text(text, encoding="utf-8")

    last, problems = import_file(tmp_path / "long.csv", "old", admin_user)

    assert problems.splitlines()[-2:] == [
        f"Row 3, column I6.1: The cell is longer than {limit:,} characters, more than any column "
        "takes.",
        "Row 4, column provider: 'Probation' is not one of CRC or NPS.",
    ]
    assert last == "Nothing was imported: 2 problem(s) in long.csv, listed above."
    assert "Traceback" not in problems
    assert not Inspection.objects.filter(slug="old").exists()


def test_the_problems_shown_stop_at_a_hundred(framework, admin_user, tmp_path):
    rows = "".join(f"old,H{n},Probation\n" for n in range(150))
    (tmp_path / "bad.csv").write_text("inspection,case_ref,provider\n" + rows)

    last, problems = import_file(tmp_path / "bad.csv", "old", admin_user)

    shown = [line for line in problems.splitlines() if line.startswith("Row ")]
    assert len(shown) == 100 and shown[-1].startswith("Row 101, column provider:")
    assert problems.splitlines()[-1] == "... and 50 more."
    assert last == "Nothing was imported: 150 problem(s) in bad.csv, listed above."


def test_a_database_error_while_storing_undoes_everything_and_says_so(
    framework, admin_user, tmp_path, monkeypatch
):
    from django.db import IntegrityError

    from reports import datasets

    store = datasets._store

    def store_then_fail(*args, **kwargs):
        store(*args, **kwargs)
        raise IntegrityError('duplicate key value violates unique constraint "unique_case_ref"')

    monkeypatch.setattr(datasets, "_store", store_then_fail)
    (tmp_path / "f.csv").write_text("inspection,case_ref,A1S\nold,H1,yes\nold,H2,no\n")

    last, _ = import_file(tmp_path / "f.csv", "old", admin_user)

    assert last == ("Nothing was imported: the database gave an error (duplicate key value "
                    'violates unique constraint "unique_case_ref").')  # fmt: skip
    assert not Inspection.objects.filter(slug="old").exists()
    assert not Case.objects.exists() and not Answer.objects.exists()


@pytest.mark.parametrize("copy", [True, False], ids=["copy", "bulk_create"])
def test_rows_are_stored_chunk_by_chunk_as_they_were_given(
    framework, inspection, inspector, lead, admin_user, tmp_path, monkeypatch, copy
):
    from config import bulk
    from reports import datasets

    for number in range(7):
        agreed_case(inspection, inspector, lead, case_ref=f"K{number}", age=20 + number,
                    provider=["crc", "nps", ""][number % 3])  # fmt: skip
    first = export(inspection.slug)
    (tmp_path / "data.csv").write_text(first, encoding="utf-8")
    slug = inspection.slug
    Inspection.objects.filter(pk=inspection.pk).delete()
    monkeypatch.setattr(datasets, "CHUNK", 3)
    monkeypatch.setattr(datasets, "PROGRESS_EVERY", 2)
    if not copy:
        monkeypatch.setattr(bulk, "COPY_VENDORS", ())

    last, progress = import_file(tmp_path / "data.csv", slug, admin_user)

    assert export(slug) == first
    again = Inspection.objects.get(slug=slug)
    assert again.cases.count() == 7 and Review.objects.filter(case__inspection=again).count() == 7
    assert set(Review.objects.values_list("status", flat=True)) == {"agreed"}
    assert len(set(Review.objects.values_list("public_id", flat=True))) == 7
    assert len(set(again.cases.values_list("public_id", flat=True))) == 7
    events = ReviewEvent.objects.filter(review__case__inspection=again)
    assert {(e.to_status, e.actor, e.note) for e in events} == {
        ("agreed", admin_user, "Imported from a historical dataset.")
    }
    assert "Checked 6 rows: 0 problem(s) so far." in progress
    answers = Answer.objects.filter(review__case__inspection=again).count()
    assert last == (f"Imported into {slug}: 1 inspection created, 7 cases (agreed reviews), "
                    f"{answers} answers.")  # fmt: skip


def test_reading_refuses_duplicates_and_cases_already_there(framework):
    text = b"inspection,case_ref\nx,A\nx,A\nx,B\n"

    found = read_dataset(text, slug="x", version=framework, existing_refs={"B"})

    assert [str(e) for e in found.errors] == [
        "Row 3, column case_ref: A is on an earlier row too.",
        "Row 4, column case_ref: B is already in the inspection.",
    ]


def test_the_browser_export_is_for_report_roles_only(client, inspection, inspector, lead, writer,
                                                     outsider):  # fmt: skip
    agreed_case(inspection, inspector, lead)
    url = reverse("reports:export", args=[inspection.public_id])

    client.force_login(writer)
    response = client.get(url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert response.content.decode() == export(inspection.slug)
    client.force_login(inspector)
    assert client.get(url).status_code == 403
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_build_report_writes_a_thematic_pdf(inspection, inspector, lead, framework, tmp_path):
    from tests.factories import InspectionFactory, MembershipFactory

    agreed_case(inspection, inspector, lead)
    second = InspectionFactory(framework_version=framework, area="Cumbria")
    MembershipFactory(inspection=second, user=lead, role="lead")
    MembershipFactory(inspection=second, user=inspector, role="inspector")
    agreed_case(second, inspector, lead)
    out = tmp_path / "thematic.pdf"

    call_command("build_report", "--inspection", inspection.slug, "--inspection", second.slug,
                 "--out", str(out), stdout=StringIO())  # fmt: skip

    text = "\n".join(pdf_pages(out.read_bytes()))
    assert "Thematic report: 2 inspections" in text
    assert "Cases by area" in text and "Cumbria" in text
    assert subprocess.run(["pdfinfo", str(out)], capture_output=True).returncode == 0
