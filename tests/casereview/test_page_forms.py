"""The small forms a case's pages repeat: each element its own id, read-only stays read-only."""

import re
from collections import Counter

import pytest
from django.urls import reverse

from casereview.models import Moderation
from casereview.moderation.services import moderation_save
from casereview.workflow.services import review_start, review_submit
from tests.casereview.helpers import complete
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def repeated_ids(page: str) -> list[str]:
    ids = Counter(re.findall(r'\bid="([^"]+)"', page))
    return [name for name, count in ids.items() if count > 1]


def test_a_lead_page_with_queries_and_moves_repeats_no_element_id(
    client, inspection, inspector, lead
):
    case = CaseFactory(inspection=inspection, allocated_to=inspector)
    review = review_start(case=case)
    complete(review, inspector)
    client.force_login(inspector)
    client.post(reverse("casereview:submit", args=[case.public_id]))
    client.force_login(lead)
    for code in ("A1S", "A2S"):
        client.post(
            reverse("casereview:raise_query", args=[case.public_id]),
            {"question": code, "text": f"Why {code}?"},
        )

    page = client.get(reverse("casereview:lead", args=[case.public_id])).content.decode()

    assert page.count('name="close"') == 2 and page.count('name="raise"') > 10
    assert repeated_ids(page) == []


def test_the_moderation_page_with_both_its_forms_repeats_no_element_id(
    client, inspection, inspector, lead
):
    review = review_start(case=CaseFactory(inspection=inspection, allocated_to=inspector))
    complete(review, inspector)
    review_submit(review=review, by=inspector)
    client.force_login(lead)

    page = client.get(reverse("casereview:moderation", args=[inspection.public_id]))
    page = page.content.decode()

    assert page.count('name="request_id"') == 2 and 'name="cases"' in page
    assert repeated_ids(page) == []


def test_a_submitted_moderation_shows_its_judgements_without_taking_a_click(
    client, case, lead, other_inspector
):
    moderation = Moderation.objects.create(case=case, moderator=other_inspector, assigned_by=lead)
    moderation_save(moderation=moderation, judgements={"A1": ("no", "Thin.")}, by=other_inspector)
    Moderation.objects.filter(pk=moderation.pk).update(status=Moderation.Status.SUBMITTED)
    client.force_login(other_inspector)

    page = client.get(reverse("casereview:moderate", args=[moderation.public_id])).content.decode()
    radios = re.findall(r'<input[^>]*type="radio"[^>]*>', page)

    assert radios and all("disabled" in radio for radio in radios)
    assert 'value="no"' in next(r for r in radios if "checked" in r)
    assert "Submit the moderation" not in page
