"""One rule for case references: the sample import, the case form and the dataset import."""

import csv
import io
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.html import escape

from inspection.case_refs import CASE_REF_RULE, case_ref_clean
from inspection.models import Case, Inspection
from inspection.services import case_save

GOOD = ["D001", "DUR-001", "Case 0001", "A/1_2.3", "x" * 40, "  padded  "]
BAD = {
    "right-to-left override": "D\u202e100",
    "left-to-right isolate": "\u2066D001\u2069",
    "right-to-left mark": "D001\u200f",
    "zero width space": "D\u200b001",
    "no-break space": "Case\u00a00001",
    "two spaces": "Case  0001",
    "full-width letters": "\uff24001",
    "accent": "D\u00e9001",
    "formula": "=1+1",
    "markup": "<b>D1</b>",
    "41 characters": "x" * 41,
    "starts with a dot": ".D001",
}


@pytest.mark.parametrize("ref", GOOD)
def test_the_rule_takes_letters_digits_single_spaces_and_the_four_marks(ref):
    assert case_ref_clean(ref) == ref.strip()


DIRECTION = {"right-to-left override", "left-to-right isolate"}


def refusal(ref: str) -> str:
    """Return the one message the rule refuses `ref` with."""
    with pytest.raises(ValidationError) as refused:
        case_ref_clean(ref)
    (message,) = refused.value.messages
    return message


@pytest.mark.parametrize("name", BAD)
def test_the_rule_refuses_anything_else_with_one_message(name):
    message = refusal(BAD[name])

    if name in DIRECTION:  # invisible: the message says what is there, then the rule
        assert message.startswith("Remove the invisible text-direction characters from the case")
        assert message.endswith(CASE_REF_RULE)
    else:
        assert message == CASE_REF_RULE


def _csv(*rows) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize("name", ["right-to-left override", "two spaces", "41 characters"])
def test_the_sample_import_the_case_form_and_the_dataset_import_refuse_alike(
    client, inspection, lead, admin_user, framework, tmp_path, name
):
    ref, message = BAD[name], refusal(BAD[name])
    client.force_login(lead)

    sample = SimpleUploadedFile("s.csv", _csv(["case_ref"], [ref]).encode(), "text/csv")
    imported = client.post(reverse("inspection:import", args=[inspection.public_id]),
                           {"file": sample})  # fmt: skip
    by_hand = client.post(reverse("inspection:case_add", args=[inspection.public_id]),
                          {"case_ref": ref})  # fmt: skip
    with pytest.raises(ValidationError) as by_service:
        case_save(inspection=inspection, case_ref=ref)
    (tmp_path / "d.csv").write_text(_csv(["inspection", "case_ref"], ["hist", ref]))
    problems = StringIO()
    with pytest.raises(CommandError):
        call_command("import_assessments", str(tmp_path / "d.csv"), "--inspection", "hist",
                     "--user", admin_user.username, stderr=problems)  # fmt: skip

    assert imported.status_code == 400
    assert escape(f"Row 2, column case_ref: {message}") in imported.content.decode()
    assert by_hand.status_code == 200 and escape(message) in by_hand.content.decode()
    assert by_service.value.message_dict == {"case_ref": [message]}
    assert f"Row 2, column case_ref: {message}" in problems.getvalue()
    assert not Case.objects.exists()
    assert not Inspection.objects.filter(slug="hist").exists()


def test_the_case_form_shows_only_the_rule_for_a_long_reference(client, inspection, lead):
    client.force_login(lead)

    page = client.post(reverse("inspection:case_add", args=[inspection.public_id]),
                       {"case_ref": "x" * 41}).content.decode()  # fmt: skip

    assert escape(CASE_REF_RULE) in page
    assert "Ensure this value has at most" not in page


def test_a_reference_that_fits_the_rule_is_kept_in_all_three_places(
    client, inspection, lead, admin_user, framework, tmp_path
):
    client.force_login(lead)
    sample = SimpleUploadedFile("s.csv", _csv(["case_ref"], ["Case 0001"]).encode(), "text/csv")
    client.post(reverse("inspection:import", args=[inspection.public_id]), {"file": sample})
    client.post(reverse("inspection:case_add", args=[inspection.public_id]),
                {"case_ref": "DUR-002"})  # fmt: skip
    (tmp_path / "d.csv").write_text(_csv(["inspection", "case_ref"], ["hist", "Case 0001"]))
    call_command("import_assessments", str(tmp_path / "d.csv"), "--inspection", "hist",
                 "--user", admin_user.username, stdout=StringIO(), stderr=StringIO())  # fmt: skip

    assert sorted(inspection.cases.values_list("case_ref", flat=True)) == ["Case 0001", "DUR-002"]
    assert list(
        Case.objects.filter(inspection__slug="hist").values_list("case_ref", flat=True)
    ) == ["Case 0001"]
