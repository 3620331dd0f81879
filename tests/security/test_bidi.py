"""Text carrying bidirectional controls cannot disguise itself in pages or PDFs.

Embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) make text show in
another order than it was typed ("HSILGNE" behind an override shows as "ENGLISH"), so
every way text comes in refuses them with a message (config/text.py); the marks that
right-to-left languages need are kept. Text stored before that rule is shown isolated,
so an override left open in it stops where the text does.
"""

from pathlib import Path

import pytest
from django.urls import reverse

from casereview.answers.services import answer_save
from casereview.models import Answer
from casereview.workflow.services import review_start, review_submit
from inspection.models import Case, Inspection
from reports.models import ReportNarrative
from reports.services import narrative_save, report_job_run, report_request
from tests.casereview.helpers import complete
from tests.reports.helpers import agreed_case, pdf_pages

RLO = "\u202e"  # right-to-left override, left open: it runs to the end of its paragraph
STATIC = Path(__file__).resolve().parent.parent.parent / "static" / "src"


def _submitted_with_hostile_text(case, inspector, framework):
    Case.objects.filter(pk=case.pk).update(case_ref=f"D{RLO}100")  # stored before the rule
    review = review_start(case=case)
    complete(review, inspector)
    summary = framework.questions.get(code="A1S")
    answer = Answer.objects.get(review=review, question=summary)
    answer_save(review=review, question=summary, by=inspector, expected_version=answer.version,
                reasons="Seen at home.", practice="good",
                practice_text="Weekly visits.")  # fmt: skip
    review_submit(review=review, by=inspector)
    Answer.objects.filter(pk=answer.pk).update(reasons=f"Seen at home {RLO}gnp.exe")  # ditto


def test_references_in_running_text_are_isolated_on_the_pages(
    client, case, inspector, lead, framework
):
    _submitted_with_hostile_text(case, inspector, framework)
    client.force_login(lead)

    lead_page = client.get(reverse("casereview:lead", args=[case.public_id])).content.decode()
    dashboard = client.get(
        reverse("casereview:dashboard", args=[case.inspection.public_id])
    ).content.decode()
    client.force_login(inspector)
    check = client.get(reverse("casereview:check", args=[case.public_id])).content.decode()
    form = client.get(reverse("casereview:page", args=[case.public_id, "A1"])).content.decode()

    bdi = f"<bdi>D{RLO}100</bdi>"
    assert f'<h1 class="govuk-heading-l">Case {bdi}: submitted</h1>' in lead_page
    assert f"Case {bdi} was submitted by" in dashboard
    assert f'<span class="govuk-caption-m">Case {bdi} · ' in check
    assert f'<span class="govuk-caption-m">Case {bdi} · ' in form


def test_the_stylesheet_isolates_every_inline_element_of_the_page():
    rules = (STATIC / "_bidi.scss").read_text()

    assert '@import "bidi";' in (STATIC / "app.scss").read_text()
    assert ".govuk-main-wrapper {" in rules
    isolated = rules.split(":where(", 1)[1].split(")", 1)[0].replace(" ", "").split(",")
    assert {"a", "span", "strong", "label", "bdi"} <= set(isolated)
    assert "unicode-bidi: isolate;" in rules


def test_the_pdf_prints_what_follows_typed_text_in_its_own_order(
    inspection, inspector, lead, writer
):
    Inspection.objects.filter(pk=inspection.pk).update(name=f"Durham{RLO}", area="Cumbria")
    inspection.refresh_from_db()
    agreed_case(inspection, inspector, lead)
    narrative_save(inspection=inspection, by=writer, summary="Found.",
                   key_findings="Plans were thin.")  # fmt: skip
    ReportNarrative.objects.filter(inspection=inspection).update(summary=f"Found {RLO}gnp.exe")
    job, _ = report_request(inspections=[inspection], final=True, by=writer)

    report_job_run(job_id=job.pk)

    job.refresh_from_db()
    cover, *pages = pdf_pages(job.file.read())
    assert "· Cumbria" in cover  # not "airbmuC ·": the name's override stops at the name
    text = "\n".join(pages)
    assert "Key findings" in text and "Plans were thin." in text


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_in_chromium_nothing_after_typed_text_is_shown_reversed(
    live_server, page, case, inspector, lead, framework
):
    from tests.browsing import sign_in
    from tests.constants import PASSWORD

    _submitted_with_hostile_text(case, inspector, framework)
    sign_in(page, live_server.url, lead.username, PASSWORD)
    page.goto(f"{live_server.url}{reverse('casereview:lead', args=[case.public_id])}")

    # The left edge of each letter of these words, as chromium lays them out.
    lefts = """(needle) => {
      const walker = document.createTreeWalker(document.querySelector("main"),
                                               NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const start = node.data.indexOf(needle);
        if (start < 0) continue;
        const lefts = [];
        for (let i = start; i < start + needle.length; i++) {
          if (node.data[i] === " ") continue;
          const range = document.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          lefts.push(range.getBoundingClientRect().left);
        }
        return lefts;
      }
      return null;
    }"""
    for words in (": submitted", "Weekly visits."):
        found = page.evaluate(lefts, words)
        assert found, f"{words!r} is not on the page"
        assert found == sorted(found), f"{words!r} is shown reordered"


REFUSED = "Remove the invisible text-direction characters from"
HSILGNE = f"{RLO}HSILGNE"  # shows as "ENGLISH"


@pytest.mark.parametrize("control", ["\u202a", "\u202b", "\u202d", "\u202e", "\u2066", "\u2068"])
def test_typed_text_with_a_direction_control_is_refused_naming_the_field(control):
    from django.core.exceptions import ValidationError

    from casereview.answers.values import clean_text

    with pytest.raises(ValidationError, match=f"{REFUSED} your reasons"):
        clean_text(f"Seen {control}at home", what="your reasons")


def test_the_marks_right_to_left_languages_need_are_kept():
    from casereview.answers.values import clean_text

    text = "\u05e9\u05dc\u05d5\u05dd (Shalom)\u200f, \u0645\u0631\u062d\u0628\u0627\u061c 2"
    assert clean_text(text, what="your reasons") == text


def test_an_answer_with_an_override_is_refused_and_nothing_is_saved(case, inspector, framework):
    from django.core.exceptions import ValidationError

    review = review_start(case=case)
    summary = framework.questions.get(code="A1S")

    with pytest.raises(ValidationError, match=f"{REFUSED} the text"):
        answer_save(review=review, question=summary, by=inspector, expected_version=0,
                    value="yes", reasons=f"Home visit {HSILGNE}")  # fmt: skip

    assert not Answer.objects.filter(review=review, question=summary).exists()


def test_an_ldu_with_an_override_is_refused_by_the_case_form_and_the_sample_import(
    client, inspection, lead
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(lead)
    added = client.post(reverse("inspection:case_add", args=[inspection.public_id]),
                        {"case_ref": "D200", "ldu": HSILGNE})  # fmt: skip
    upload = SimpleUploadedFile("sample.csv", f"case_ref,ldu\nD201,{HSILGNE}\n".encode())
    imported = client.post(reverse("inspection:import", args=[inspection.public_id]),
                           {"file": upload})  # fmt: skip

    assert f"{REFUSED} the LDU" in added.content.decode()
    assert f"Row 2, column ldu: {REFUSED} the LDU" in imported.content.decode()
    assert not inspection.cases.exists()


def test_a_case_reference_with_an_override_says_what_is_wrong_with_it(client, inspection, lead):
    client.force_login(lead)
    added = client.post(reverse("inspection:case_add", args=[inspection.public_id]),
                        {"case_ref": f"D{RLO}300"})  # fmt: skip

    assert f"{REFUSED} the case reference" in added.content.decode()
    assert not inspection.cases.exists()


def test_an_inspection_named_with_an_override_is_refused_by_the_model(inspection):
    from django.core.exceptions import ValidationError

    inspection.area = HSILGNE
    with pytest.raises(ValidationError, match="text-direction characters"):
        inspection.full_clean()
