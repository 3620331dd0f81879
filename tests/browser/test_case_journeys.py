"""Journeys in Debian's chromium: an inspector submits a whole case; a lead sets up the sample."""

import re
import time

import pytest
from django.urls import reverse

from casereview.models import Answer, AnswerChange, Review
from tests.browsing import (
    answer_every_question_on_the_page,
    screenshot,
    serious_accessibility_violations,
    sign_in,
)
from tests.constants import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_an_inspector_completes_a_whole_case_and_submits_it(live_server, page, case, inspector):
    sign_in(page, live_server.url, inspector.username, PASSWORD)
    assert page.get_by_role("heading", name="My cases").is_visible()
    assert serious_accessibility_violations(page) == []
    page.get_by_role("link", name=case.case_ref).click()

    pages = 0
    while True:
        pages += 1
        answer_every_question_on_the_page(page)
        if pages == 3:
            assert serious_accessibility_violations(page) == []
            screenshot(page, "case-form-A1")
        page.get_by_role("button", name="Save and continue").click()
        if "/check/" in page.url:
            break
        assert pages < 30, "the form never reached check your answers"

    assert page.get_by_role("heading", name="Check your answers").is_visible()
    assert page.get_by_text("Every applicable question and judgement is answered").is_visible()
    assert serious_accessibility_violations(page) == []
    screenshot(page, "check-your-answers")
    page.get_by_role("button", name=re.compile("Submit case")).click()

    assert page.get_by_text(f"Case {case.case_ref} has been submitted.").is_visible()
    review = Review.objects.get(case=case)
    assert review.status == Review.Status.SUBMITTED
    assert Answer.objects.filter(review=review).count() > 100
    assert AnswerChange.objects.filter(review=review, changed_by=inspector).exists()
    assert "Submitted" in page.locator("table").inner_text()


def test_the_sign_in_page_is_accessible(live_server, page):
    page.goto(f"{live_server.url}/sign-in/")

    assert serious_accessibility_violations(page) == []


def test_a_question_is_answered_with_the_keyboard_alone(live_server, page, case, inspector):
    sign_in(page, live_server.url, inspector.username, PASSWORD)
    page.goto(live_server.url + reverse("casereview:page", args=[case.public_id, "A1"]))

    page.locator("#question-A1_1 input[value=yes]").focus()
    page.keyboard.press("Space")
    page.locator("#A1_1-status").filter(has_text="Saved").wait_for()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.govuk-details') !== null")

    assert Answer.objects.get(question__code="A1.1").value == "yes"


def test_two_tabs_never_silently_overwrite_each_other(live_server, browser, case, inspector):
    context = browser.new_context()
    first, second = context.new_page(), context.new_page()
    sign_in(first, live_server.url, inspector.username, PASSWORD)
    url = live_server.url + reverse("casereview:page", args=[case.public_id, "A1"])
    first.goto(url)
    second.goto(url)

    first.locator("#question-A1_1 input[value=yes]").check()
    first.locator("#A1_1-status").filter(has_text="Saved").wait_for()
    second.locator("#question-A1_1 input[value=no]").check()

    second.get_by_text("Not saved: inspector1 changed this answer to “Yes”").wait_for()
    assert second.locator("#question-A1_1 input[value=yes]").is_checked()
    assert Answer.objects.get(question__code="A1.1").value == "yes"
    context.close()


def test_the_session_warns_before_it_times_out(live_server, page, case, inspector, settings):
    settings.SESSION_COOKIE_AGE = 12  # warned 3 seconds before the end
    sign_in(page, live_server.url, inspector.username, PASSWORD)

    warning = page.get_by_role("alertdialog")
    warning.wait_for(timeout=15_000)
    assert "You will be signed out soon" in warning.inner_text()
    page.get_by_role("button", name="Stay signed in").click()

    warning.wait_for(state="hidden", timeout=5_000)
    page.reload()
    assert page.get_by_role("heading", name="My cases").is_visible()


def test_a_lead_imports_a_sample_and_allocates_it(
    live_server, page, inspection, lead, inspector, tmp_path
):
    sample = tmp_path / "sample.csv"
    sample.write_text(
        "case_ref,provider,gender,age,supervision,ogrs,rosh\n"
        "J1,CRC,Male,30,community,45,Low\nJ2,NPS,Female,41,post-custody,70,High\n"
        "J3,Xyz,Male,30,community,45,Low\n",
        encoding="utf-8",
    )
    sign_in(page, live_server.url, lead.username, PASSWORD)
    page.goto(live_server.url + inspection.get_absolute_url())
    page.get_by_role("link", name="Import cases from a CSV file").click()

    page.get_by_label("Upload the case sample (CSV)").set_input_files(str(sample))
    page.get_by_role("button", name="Import the sample").click()
    assert "Row 4, column provider: 'Xyz' is not one of CRC or NPS." in page.inner_text("main")
    assert not inspection.cases.exists()
    screenshot(page, "sample-import-errors")

    sample.write_text(sample.read_text(encoding="utf-8").replace("Xyz", "CRC"), encoding="utf-8")
    page.get_by_label("Upload the case sample (CSV)").set_input_files(str(sample))
    page.get_by_role("button", name="Import the sample").click()
    assert page.get_by_text("3 cases were added to the sample.").is_visible()

    page.get_by_label("Select case J1").check()
    page.get_by_label("Select case J3").check()
    page.get_by_label("Allocate the selected cases to").select_option(
        label="inspector1 (Inspector)"
    )
    page.get_by_role("button", name="Allocate the selected cases").click()

    assert page.get_by_text("2 cases allocated to inspector1.").is_visible()
    assert serious_accessibility_violations(page) == []
    screenshot(page, "inspection-sample")
    allocated = dict(inspection.cases.values_list("case_ref", "allocated_to"))
    assert allocated == {"J1": inspector.pk, "J2": None, "J3": inspector.pk}


def test_text_typed_just_before_the_page_closes_is_saved(live_server, browser, case, inspector):
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, live_server.url, inspector.username, PASSWORD)
    page.goto(live_server.url + reverse("casereview:page", args=[case.public_id, "I"]))

    page.locator("textarea[name='I6_1-value']").fill("Durham and Darlington")
    page.close(run_before_unload=True)  # at once, well within the autosave's pause
    context.close()

    deadline = time.monotonic() + 10
    while not Answer.objects.filter(question__code="I6.1").exists():
        assert time.monotonic() < deadline, "the answer typed before closing was lost"
        time.sleep(0.2)
    assert Answer.objects.get(question__code="I6.1").value == "Durham and Darlington"


def test_no_page_breaks_the_content_security_policy(live_server, page, case, inspector):
    complaints = []
    page.on("console", lambda message: complaints.append(message.text))

    sign_in(page, live_server.url, inspector.username, PASSWORD)
    page.goto(live_server.url + reverse("casereview:page", args=[case.public_id, "A1"]))
    page.locator("#question-A1_1 input[value=yes]").check()
    page.locator("#A1_1-status").filter(has_text="Saved").wait_for()
    page.goto(live_server.url + reverse("casereview:check", args=[case.public_id]))

    assert [text for text in complaints if "Content Security Policy" in text] == []
