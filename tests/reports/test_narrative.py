"""The narrative sections hold up to 20,000 characters each; a longer one is refused, whole."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from reports.models import ReportNarrative
from reports.narrative import NARRATIVE_LIMIT
from reports.services import narrative_save

TOO_LONG = "x" * (NARRATIVE_LIMIT + 1)


def test_the_page_states_the_limit_of_each_section(client, inspection, writer):
    client.force_login(writer)

    page = client.get(reverse("reports:narrative", args=[inspection.public_id])).content.decode()

    assert page.count("Up to 20,000 characters.") == 3


def test_a_section_over_the_limit_is_refused_on_the_page_and_nothing_is_saved(
    client, inspection, writer
):
    narrative_save(inspection=inspection, by=writer, summary="Before.")
    client.force_login(writer)

    response = client.post(reverse("reports:narrative", args=[inspection.public_id]),
                           {"summary": "After.", "key_findings": TOO_LONG,
                            "recommendations": "Act."})  # fmt: skip

    assert response.status_code == 200
    message = "Shorten the key findings to 20,000 characters or fewer (it has 20,001)."
    assert escape(message) in response.content.decode()
    narrative = ReportNarrative.objects.get(inspection=inspection)
    assert (narrative.summary, narrative.key_findings, narrative.recommendations) == (
        "Before.", "", ""
    )  # fmt: skip


def test_a_section_at_the_limit_is_saved(client, inspection, writer):
    client.force_login(writer)
    text = "y" * NARRATIVE_LIMIT

    sections = {"summary": text, "key_findings": "", "recommendations": ""}
    response = client.post(reverse("reports:narrative", args=[inspection.public_id]), sections)

    assert response.status_code == 302
    assert ReportNarrative.objects.get(inspection=inspection).summary == text


@pytest.mark.parametrize("section", ["summary", "key_findings", "recommendations"])
def test_the_service_refuses_a_section_over_the_limit_and_saves_nothing(
    inspection, writer, section
):
    with pytest.raises(ValidationError) as refused:
        narrative_save(inspection=inspection, by=writer, **{section: TOO_LONG})

    name = section.replace("_", " ")
    assert refused.value.message_dict == {
        section: [f"Shorten the {name} to 20,000 characters or fewer (it has 20,001)."]
    }
    assert not ReportNarrative.objects.exists()
