"""Render a report as PDF with WeasyPrint, fetching nothing from outside.

User text is escaped by the template engine; the URL fetcher refuses every
URL, so no text can make WeasyPrint read a file or call a server. Fonts are
set explicitly in the print stylesheet (page margins and SVG text do not
inherit the body's).
"""

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from reports.charts import bar_chart
from reports.data import ReportData


class BlockedFetch(ValueError):
    """A report tried to load something from a URL or a file."""


class RefusingFetcher(URLFetcher):
    """WeasyPrint's fetcher with every URL refused: WeasyPrint warns and leaves the resource out.

    WeasyPrint 70 expects a URLFetcher; a plain function that raises makes it fail the
    whole document instead.
    """

    def fetch(self, url, headers=None):
        raise BlockedFetch(f"Reports load nothing from outside (refused {url[:80]!r}).")


refuse_every_url = RefusingFetcher()


def report_html(data: ReportData) -> str:
    for table in data.tables:
        table.chart = bar_chart(table)
    title = (
        data.inspections[0].name
        if len(data.inspections) == 1
        else f"Thematic report: {len(data.inspections)} inspections"
    )
    return render_to_string(
        "reports/report.html",
        {
            "data": data,
            "title": title,
            "built_at": timezone.localtime(),
        },
    )


def report_pdf(data: ReportData) -> bytes:
    return HTML(string=report_html(data), url_fetcher=refuse_every_url, base_url=None).write_pdf()
