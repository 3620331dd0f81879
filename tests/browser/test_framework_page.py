"""A signed-in user reads the framework in a browser and downloads its data dictionary."""

import pytest

from tests.browsing import screenshot, sign_in
from tests.constants import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.django_db(transaction=True)
def test_an_inspector_reads_the_framework_with_its_guidance(
    live_server, page, framework, inspector
):
    sign_in(page, live_server.url, inspector.username, PASSWORD)
    page.get_by_role("link", name="Frameworks").click()
    page.get_by_role(
        "link", name="Case assessment framework for adult probation", exact=True
    ).click()

    assert page.get_by_role("heading", level=1).inner_text() == (
        "Case assessment framework for adult probation"
    )
    question = page.locator("#q-A3\\.7")
    assert "Was the service user a source of these safeguarding" in question.inner_text()
    assert "Only if A3.6 is Yes" in question.inner_text()
    assert page.locator("#q-A1\\.1 .app-guidance").is_visible()
    for selector in ("body", "h1", ".app-guidance p"):
        font = page.eval_on_selector(selector, "e => getComputedStyle(e).fontFamily")
        assert font.startswith("Arial"), (selector, font)
    screenshot(page, "framework-page")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the data dictionary (CSV)").click()
    csv_text = download.value.path().read_text(encoding="utf-8")
    assert csv_text.startswith("code,kind,section")
    assert csv_text.count("\nA3.") >= 19

    page.emulate_media(media="print")
    assert not page.locator(".govuk-service-navigation").is_visible()
    screenshot(page, "framework-page-print")


@pytest.mark.django_db(transaction=True)
def test_a_wrong_password_gets_a_clear_error(live_server, page, inspector):
    sign_in(page, live_server.url, inspector.username, "not the password")

    summary = page.locator(".govuk-error-summary")
    assert "Enter a correct username and password" in summary.inner_text()
    assert page.title().startswith("Error: Sign in")
    screenshot(page, "sign-in-error")
