"""The lead inspector's pages: the sample, its import, cases by hand, allocation."""

import csv

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inspection.models import Case
from tests.factories import CaseFactory

GOOD = (
    "case_ref,provider,gender,age,supervision,ogrs,rosh\n"
    "N1,CRC,Male,30,community,45,Low\n"
    "N2,NPS,Female,41,post-custody,70,High\n"
)


def upload(text: str):
    return SimpleUploadedFile("sample.csv", text.encode("utf-8"), content_type="text/csv")


def test_the_lead_sees_the_sample_and_allocation(client, inspection, lead, case):
    client.force_login(lead)

    page = client.get(inspection.get_absolute_url()).content.decode()

    assert case.case_ref in page
    assert "Allocate the selected cases" in page and "Import cases from a CSV file" in page


def test_an_inspector_sees_only_their_own_cases(client, inspection, other_inspector, case):
    client.force_login(other_inspector)

    page = client.get(inspection.get_absolute_url()).content.decode()

    assert case.case_ref not in page
    assert "Allocate the selected cases" not in page


def test_someone_from_another_inspection_gets_nothing(client, inspection, outsider):
    client.force_login(outsider)

    assert client.get(inspection.get_absolute_url()).status_code == 404
    url = reverse("inspection:import", args=[inspection.public_id])
    assert client.post(url, {"file": upload(GOOD)}).status_code == 404
    assert not Case.objects.filter(inspection=inspection).exists()


def test_the_lead_imports_a_good_sample(client, inspection, lead):
    client.force_login(lead)

    response = client.post(reverse("inspection:import", args=[inspection.public_id]),
                           {"file": upload(GOOD)})  # fmt: skip

    assert response.status_code == 302
    assert list(inspection.cases.values_list("case_ref", flat=True)) == ["N1", "N2"]


def test_the_import_page_has_its_title_and_a_way_back(client, inspection, lead):
    client.force_login(lead)

    page = client.get(reverse("inspection:import", args=[inspection.public_id])).content.decode()

    assert '<h1 class="govuk-heading-l">Import the case sample</h1>' in page
    assert "<title>Import the case sample" in page
    assert f'href="{inspection.get_absolute_url()}" class="govuk-back-link"' in page


def test_a_bad_sample_lists_every_problem_and_imports_nothing(client, inspection, lead):
    client.force_login(lead)
    bad = GOOD + "N3,Other,Male,12,community,45,Low\n"

    response = client.post(reverse("inspection:import", args=[inspection.public_id]),
                           {"file": upload(bad)})  # fmt: skip

    page = response.content.decode()
    assert response.status_code == 400
    assert "Row 4, column provider: &#x27;Other&#x27; is not one of CRC or NPS." in page
    assert "Row 4, column age" in page
    assert not inspection.cases.exists()


def test_a_cell_over_the_csv_limit_is_a_row_and_column_problem_not_a_server_error(
    client, inspection, lead
):
    client.force_login(lead)
    limit = csv.field_size_limit()
    bad = GOOD + "N3,CRC,Male,30,community,45," + "L" * (limit + 1) + "\n"

    response = client.post(reverse("inspection:import", args=[inspection.public_id]),
                           {"file": upload(bad)})  # fmt: skip

    page = response.content.decode()
    assert response.status_code == 400
    assert (f"Row 4, column rosh: The cell is longer than {limit:,} characters, more than any "
            "column takes.") in page  # fmt: skip
    assert "Row 0" not in page and "Traceback" not in page
    assert not inspection.cases.exists()


def test_a_fault_of_the_whole_file_is_not_put_on_a_row(client, inspection, lead):
    client.force_login(lead)
    not_utf8 = SimpleUploadedFile("sample.csv", GOOD.encode("utf-16"), content_type="text/csv")

    response = client.post(reverse("inspection:import", args=[inspection.public_id]),
                           {"file": not_utf8})  # fmt: skip

    page = response.content.decode()
    assert response.status_code == 400
    assert "<li>The file is not UTF-8 text: save it as CSV UTF-8 and try again.</li>" in page
    assert "Row 0" not in page
    assert not inspection.cases.exists()


@pytest.mark.parametrize("person", ["inspector", "writer"])
def test_only_the_lead_imports_adds_and_allocates(client, inspection, case, person, request):
    client.force_login(request.getfixturevalue(person))

    assert client.post(reverse("inspection:import", args=[inspection.public_id]),
                       {"file": upload(GOOD)}).status_code == 403  # fmt: skip
    assert client.post(reverse("inspection:case_add", args=[inspection.public_id]),
                       {"case_ref": "X9"}).status_code == 403  # fmt: skip
    response = client.post(reverse("inspection:allocate", args=[inspection.public_id]),
                           {"cases": [str(case.public_id)], "inspector": ""})  # fmt: skip
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.allocated_to is not None
    assert inspection.cases.count() == 1


def test_the_lead_adds_and_corrects_a_case(client, inspection, lead):
    client.force_login(lead)
    add = reverse("inspection:case_add", args=[inspection.public_id])

    response = client.post(
        add, {"case_ref": "H1", "provider": "nps", "ogrs": "64", "mappa": "unknown"}
    )
    case = Case.objects.get(case_ref="H1")
    edit = reverse("inspection:case_edit", args=[inspection.public_id, case.public_id])
    client.post(edit, {"case_ref": "H1", "provider": "crc", "ogrs": "64", "mappa": "true"})
    refused = client.post(edit, {"case_ref": "H1", "ogrs": "140"})

    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.provider, case.ogrs, case.mappa) == ("crc", 64, True)
    assert refused.status_code == 200 and "There is a problem" in refused.content.decode()


def test_the_lead_allocates_in_bulk_and_one_by_one(
    client, inspection, lead, inspector, other_inspector
):
    cases = CaseFactory.create_batch(3, inspection=inspection)
    client.force_login(lead)
    url = reverse("inspection:allocate", args=[inspection.public_id])

    client.post(url, {"cases": [str(c.public_id) for c in cases], "inspector": str(inspector.pk)})
    client.post(url, {"cases": [str(cases[0].public_id)], "inspector": str(other_inspector.pk)})

    assert [c.allocated_to for c in Case.objects.order_by("case_ref")] == [
        other_inspector, inspector, inspector,
    ]  # fmt: skip


def test_allocation_refuses_cases_and_people_from_elsewhere(client, inspection, lead, outsider):
    foreign = CaseFactory(inspection=outsider.memberships.get().inspection)
    mine = CaseFactory(inspection=inspection)
    client.force_login(lead)
    url = reverse("inspection:allocate", args=[inspection.public_id])

    client.post(url, {"cases": [str(foreign.public_id)], "inspector": str(lead.pk)})
    client.post(url, {"cases": [str(mine.public_id)], "inspector": str(outsider.pk)})

    foreign.refresh_from_db()
    mine.refresh_from_db()
    assert foreign.allocated_to is None and mine.allocated_to is None
