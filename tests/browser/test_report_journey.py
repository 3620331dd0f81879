"""In Debian's chromium: a report writer builds the inspection's report and downloads it."""

import pytest

from reports.models import ReportJob
from tests.browsing import screenshot, serious_accessibility_violations, sign_in
from tests.constants import PASSWORD
from tests.reports.helpers import agreed_case, pdf_pages

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_a_writer_builds_and_downloads_the_report(live_server, page, inspection, inspector, lead,
                                                 writer):  # fmt: skip
    for provider in ("crc", "nps"):
        agreed_case(inspection, inspector, lead, provider=provider)
    sign_in(page, live_server.url, writer.username, PASSWORD)
    page.get_by_role("link", name=f"Report of {inspection.name}").click()
    page.get_by_role("link", name="Write the summary, key findings and recommendations").click()
    page.get_by_label("Summary").fill("Assessment was strong; reviewing needs attention.")
    page.get_by_role("button", name="Save the narrative").click()

    page.get_by_role("button", name="Build the report").click()
    link = page.get_by_role("link", name="Download the PDF")
    link.wait_for(timeout=60_000)  # the page polls the job until the worker has built it
    assert serious_accessibility_violations(page) == []
    screenshot(page, "report-page")
    with page.expect_download() as download:
        link.click()

    text = "\n".join(pdf_pages(download.value.path().read_bytes()))
    assert "Assessment was strong; reviewing needs attention." in text
    assert "All cases" in text and "CRC cases" in text
    assert ReportJob.objects.get().status == ReportJob.Status.DONE
