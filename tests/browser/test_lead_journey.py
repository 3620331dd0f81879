"""In Debian's chromium: an inspector submits, the lead queries, the inspector replies and
resubmits, and the lead agrees; a lead who judged in a case leaves agreeing it to another."""

import re

import pytest

from casereview.models import Moderation, Query, Review
from casereview.moderation.services import moderation_save
from casereview.workflow.services import review_start, review_submit
from tests.browsing import screenshot, serious_accessibility_violations, sign_in
from tests.casereview.helpers import complete
from tests.conftest import member
from tests.constants import PASSWORD

SECOND_PERSON = (
    "You gave or changed judgements in this case, so another lead inspector or an administrator "
    "must agree it."
)
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_submit_query_reply_resubmit_agree(live_server, browser, case, inspector, lead):
    complete(review_start(case=case), inspector, **{"A3.15": "no"})
    contexts = [browser.new_context(), browser.new_context()]
    try:
        journey(live_server, case, inspector, lead, *(c.new_page() for c in contexts))
    finally:
        for context in contexts:
            context.close()


def journey(live_server, case, inspector, lead, inspectors_tab, leads_tab):
    # The inspector submits from check your answers.
    sign_in(inspectors_tab, live_server.url, inspector.username, PASSWORD)
    inspectors_tab.goto(f"{live_server.url}/cases/{case.public_id}/check/")
    inspectors_tab.get_by_role("button", name=re.compile("Submit case")).click()
    assert inspectors_tab.get_by_text(f"Case {case.case_ref} has been submitted.").is_visible()

    # The lead sees it on the dashboard, queries a judgement and returns the case.
    sign_in(leads_tab, live_server.url, lead.username, PASSWORD)
    leads_tab.goto(f"{live_server.url}/inspections/{case.inspection.public_id}/dashboard/")
    assert serious_accessibility_violations(leads_tab) == []
    leads_tab.get_by_role("link", name=f"Case {case.case_ref} was submitted by inspector1").click()
    leads_tab.get_by_text("Query A2S").click()
    leads_tab.get_by_label("Your query on A2S").fill(
        "Does the A2 judgement weigh the thin analysis?"
    )
    leads_tab.get_by_role("button", name="Raise the query on A2S").click()
    assert leads_tab.get_by_text("Query raised on A2S.").is_visible()
    leads_tab.get_by_role("button", name="Return to the inspector").click()
    assert leads_tab.get_by_role("heading", name=f"Case {case.case_ref}: returned").is_visible()
    assert serious_accessibility_violations(leads_tab) == []

    # The inspector sees the returned case, changes the judgement, replies and resubmits.
    inspectors_tab.goto(live_server.url + "/")
    inspectors_tab.get_by_role(
        "link", name=re.compile(f"Case {case.case_ref} was returned")
    ).click()
    inspectors_tab.get_by_role("link", name="A2 Does assessment focus sufficiently on the factors "
                               "linked to offending and desistance?").click()  # fmt: skip
    inspectors_tab.locator("#question-A2S input[value=no]").check()
    inspectors_tab.locator("#A2S-status").filter(has_text="Saved").wait_for()
    inspectors_tab.get_by_role("link", name="Check your answers").click()
    inspectors_tab.get_by_label("Your reply on A2S").fill("Agreed: changed to No.")
    inspectors_tab.get_by_role("button", name="Send your reply on A2S").click()
    inspectors_tab.get_by_role("button", name=re.compile("Submit case")).click()
    assert inspectors_tab.get_by_text(f"Case {case.case_ref} has been submitted.").is_visible()

    # The lead closes the query and agrees: the case is locked.
    leads_tab.reload()
    assert "Agreed: changed to No." in leads_tab.inner_text("main")
    leads_tab.get_by_role("button", name="Close the query on A2S").click()
    leads_tab.get_by_role("button", name="Agree").click()
    assert leads_tab.get_by_role("heading", name=f"Case {case.case_ref}: agreed").is_visible()
    screenshot(leads_tab, "lead-case-agreed")

    review = Review.objects.get(case=case)
    assert review.status == Review.Status.AGREED
    assert review.answers.get(question__code="A2S").value == "no"
    assert Query.objects.get().status == Query.Status.CLOSED
    assert list(review.events.values_list("to_status", flat=True)) == [
        "submitted", "returned", "submitted", "agreed",
    ]  # fmt: skip


def test_a_lead_who_moderated_the_case_leaves_agreeing_it_to_another_lead(
    live_server, page, case, inspector, lead
):
    review = review_start(case=case)
    complete(review, inspector, **{"A3.15": "no"})
    review_submit(review=review, by=inspector)
    moderation = Moderation.objects.create(case=case, moderator=lead, assigned_by=lead)
    moderation_save(moderation=moderation, judgements={"A1": ("no", "Thin.")}, by=lead)
    second_lead = member(case.inspection, "lead2", "lead")

    # The lead who gave the blind second review sees why they cannot agree it.
    sign_in(page, live_server.url, lead.username, PASSWORD)
    page.goto(f"{live_server.url}/inspections/{case.inspection.public_id}/dashboard/")
    banner = page.get_by_role("region", name="Needs your attention")
    assert "1 submitted case can only be agreed by another lead inspector" in banner.inner_text()
    assert banner.get_by_text("Another lead must agree").is_visible()
    assert serious_accessibility_violations(page) == []
    banner.get_by_role("link", name=f"Case {case.case_ref} was submitted by inspector1").click()
    assert page.locator(".govuk-inset-text").filter(has_text=SECOND_PERSON).is_visible()
    assert page.get_by_role("button", name="Agree").count() == 0
    assert serious_accessibility_violations(page) == []
    screenshot(page, "lead-case-another-lead-must-agree")

    # Another lead agrees it.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server.url, second_lead.username, PASSWORD)
    page.goto(f"{live_server.url}/inspections/{case.inspection.public_id}/dashboard/")
    assert page.get_by_text("Another lead must agree").count() == 0
    page.get_by_role("link", name=f"Case {case.case_ref} was submitted by inspector1").click()
    page.get_by_role("button", name="Agree").click()
    assert page.get_by_role("heading", name=f"Case {case.case_ref}: agreed").is_visible()
    assert review.events.last().actor == second_lead
