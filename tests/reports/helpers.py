"""Report fixtures: agreed cases with judgements, and reading a PDF's text."""

import subprocess

from casereview.services import review_start, review_submit
from casereview.workflow import review_transition
from tests.casereview.helpers import complete
from tests.factories import CaseFactory


def agreed_case(inspection, inspector, lead, **case_fields):
    case = CaseFactory(inspection=inspection, allocated_to=inspector, **case_fields)
    review = review_start(case=case)
    complete(review, inspector, **{"A3.15": "no"})
    review_submit(review=review, by=inspector)
    review_transition(review=review, to_status="agreed", by=lead)
    return case


def pdf_pages(data: bytes) -> list[str]:
    """Return the text of each page of a PDF (poppler's pdftotext)."""
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    return text.split("\f")[:-1]
