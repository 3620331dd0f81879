"""Report fixtures: agreed cases with judgements, and reading a PDF's text."""

import subprocess

from casereview.models import Answer, Review
from casereview.workflow.services import review_start, review_submit, review_transition
from tests.casereview.helpers import complete
from tests.factories import CaseFactory


def agreed_case(inspection, inspector, lead, **case_fields):
    case = CaseFactory(inspection=inspection, allocated_to=inspector, **case_fields)
    review = review_start(case=case)
    complete(review, inspector, **{"A3.15": "no"})
    review_submit(review=review, by=inspector)
    review_transition(review=review, to_status="agreed", by=lead)
    return case


def judged(inspection, user, status="agreed", a1="yes", **characteristics):
    """A case whose review has status `status` and summary judgement `a1` on A1."""
    case = CaseFactory(inspection=inspection, allocated_to=user, **characteristics)
    review = review_start(case=case)
    Review.objects.filter(pk=review.pk).update(status=status)
    question = inspection.framework_version.questions.get(code="A1S")
    if a1 is not None:
        Answer.objects.create(
            review=review, question=question, value=a1, updated_by=user, version=1
        )
    return case


def pdf_pages(data: bytes) -> list[str]:
    """Return the text of each page of a PDF (poppler's pdftotext)."""
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    return text.split("\f")[:-1]
