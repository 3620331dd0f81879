"""The assessment dataset: export, import, export again gives the same file; bad files refused."""

import csv
import io
import subprocess
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from casereview.models import Answer, Review
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


def test_a_bad_file_is_refused_whole_with_row_and_column(framework, admin_user, tmp_path):
    text = "inspection,case_ref,provider,age,A1S,A1.1,Z9.9\nold,H1,CRC,30,yes,yes,\n"
    (tmp_path / "bad-header.csv").write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match="Row 1, column Z9.9: is neither a case column"):
        call_command("import_assessments", str(tmp_path / "bad-header.csv"), "--inspection",
                     "old", "--user", admin_user.username)  # fmt: skip

    text = (
        "inspection,case_ref,provider,age,A1S,A1.1,A2.3\n"
        "old,H1,CRC,30,yes,yes,drug_misuse\n"
        "old,H2,Probation,12,maybe,na,gambling\n"
        "other,H3,NPS,40,no,no,\n"
    )
    (tmp_path / "bad.csv").write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("import_assessments", str(tmp_path / "bad.csv"), "--inspection", "old",
                     "--user", admin_user.username)  # fmt: skip

    message = str(refused.value)
    assert message.startswith("Nothing was imported: 6 problem(s).")
    for expected in (
        "Row 3, column provider: 'Probation' is not one of CRC or NPS.",
        "Row 3, column age: '12' is not a whole number from 18 to 110.",
        "Row 3, column A1S: Select one of the answers given for A1S.",
        "Row 3, column A1.1: Select one of the answers given for A1.1.",
        "Row 3, column A2.3: Select from the choices given for A2.3.",
        "Row 4, column inspection: 'other' is not the inspection 'old'.",
    ):
        assert expected in message
    assert not Inspection.objects.filter(slug="old").exists()
    assert not Case.objects.exists()


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
