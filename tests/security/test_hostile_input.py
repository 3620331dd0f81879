"""Hostile text through every free-text field and every import: shown as text, never fetched.

Each field gets the whole corpus (tests/security/corpus.py). For every entry the
server answers below 500 and either stores the text as given and shows it back
escaped, or refuses it with a message a person can act on and stores nothing.
References in the corpus point at a canary server that counts requests: it
must see none, from the pages or from the PDF.
"""

import csv
import io
import re
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.html import escape

from casereview.answers.examples import practice_example_decide
from casereview.answers.services import answer_save
from casereview.answers.values import clean_text
from casereview.models import Answer, Moderation, PracticeExample, Query, ReviewEvent
from casereview.workflow.services import review_start, review_submit, review_transition
from inspection.case_refs import CASE_REF_RULE
from inspection.models import Case, Inspection
from reports.datasets import spreadsheet_cell, spreadsheet_text
from reports.models import ReportJob, ReportNarrative
from reports.narrative import NARRATIVE_LIMIT
from reports.services import report_job_run, report_request
from tests.casereview.helpers import complete
from tests.factories import CaseFactory
from tests.reports.helpers import pdf_pages
from tests.security.corpus import (
    INVISIBLE_DIRECTION,
    INVISIBLE_NUL,
    LONG,
    MARKUP,
    MUST_REFUSE,
    NAMES,
    PASSWD_LINE,
    Canary,
    hostile_corpus,
    stored_form,
)

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def canary():
    with Canary() as server:
        yield server


@pytest.fixture
def corpus(canary):
    return hostile_corpus(canary.url)


def html_of(response) -> str:
    assert response.status_code < 500
    return response.content.decode()


def shown_as_text(html: str, stored: str) -> str:
    """Return what is wrong with how `html` shows `stored` ("" when it shows it as text)."""
    if "<" in stored and stored in html:
        return "shown as markup"
    if escape(stored) not in html and linebreaksbr(stored, autoescape=True) not in html:
        return "not shown"
    return ""


def refused_with_message(html: str, name: str) -> bool:
    """Return whether `html` tells the person why entry `name` was refused."""
    if name in INVISIBLE_NUL:
        return bool(re.search(r"NUL (characters|bytes)|Null characters are not allowed", html))
    if name in INVISIBLE_DIRECTION:
        return "invisible text-direction characters" in html
    return bool(re.search(r"Shorten|at most [\d,]+ characters|Use up to \d+ characters", html))


def check_outcome(problems, where, name, text, stored, html, *, limit=None) -> bool:
    """Record a problem unless `text` was stored as given or refused with a message; return
    whether it was stored. Text longer than `limit` must be refused."""
    as_given = stored in (stored_form(text), text.strip())
    too_long = limit is not None and len(text.strip()) > limit
    if name in MUST_REFUSE or too_long or (name == LONG and not as_given):
        if as_given:
            problems.append(f"{where}/{name}: stored, though it should be refused")
        elif not refused_with_message(html, name):
            problems.append(f"{where}/{name}: refused without a message")
        return False
    if not as_given:
        problems.append(f"{where}/{name}: stored as {stored!r:.60}")
        return False
    return True


# --- Database-free: the rules every field relies on, entry by entry --------------------------


@pytest.mark.parametrize("name", NAMES)
def test_the_text_rule_keeps_each_entry_as_given_or_refuses_it_with_a_message(name):
    text = hostile_corpus("http://127.0.0.1:9")[name]

    try:
        kept = clean_text(text, what="the answer")
    except ValidationError as refused:
        assert name in MUST_REFUSE or name == LONG
        assert re.search(
            r"Remove the invisible (NUL|text-direction)|Shorten", " ".join(refused.messages)
        )
    else:
        assert name not in MUST_REFUSE
        assert kept == stored_form(text)


@pytest.mark.parametrize("name", NAMES)
def test_a_spreadsheet_cell_never_starts_a_formula_and_reads_back_as_written(name):
    text = hostile_corpus("http://127.0.0.1:9")[name]

    for value in (text, "'" + text, stored_form(text)):
        cell = spreadsheet_cell(value)
        assert not cell.startswith(FORMULA_START) or re.fullmatch(r"-?\d+(\.\d+)?", cell)
        assert spreadsheet_text(cell) == value


# --- The inspector's case form -----------------------------------------------------------------


def _autosave(client, case, question, **fields):
    slot = question.code.replace(".", "_")
    data = {f"{slot}-{part}": value for part, value in fields.items()}
    return client.post(reverse("casereview:autosave", args=[case.public_id, question.code]),
                       data, HTTP_HX_REQUEST="true")  # fmt: skip


def _current(review, question) -> Answer | None:
    return Answer.objects.filter(review=review, question=question).first()


def test_free_text_answers_saved_as_given_are_stored_and_shown_as_text(
    client, case, inspector, framework, corpus, canary
):
    review = review_start(case=case)
    text_question = framework.questions.get(code="I6.1")
    summary = framework.questions.get(code="A1S")
    client.force_login(inspector)
    problems: list[str] = []

    for name, text in corpus.items():
        answer = _current(review, text_question)
        html = html_of(_autosave(client, case, text_question, value=text,
                                 version=answer.version if answer else 0))  # fmt: skip
        if name in MARKUP and text in html:
            problems.append(f"autosave reply/{name}: markup")
        stored_value = getattr(_current(review, text_question), "value", None) or ""
        value_kept = check_outcome(problems, "value", name, text, stored_value, html)

        answer = _current(review, summary)
        html = html_of(_autosave(client, case, summary, value="yes", reasons=text,
                                 practice="good", practice_text=text,
                                 version=answer.version if answer else 0))  # fmt: skip
        answer = _current(review, summary)
        reasons_kept = check_outcome(problems, "reasons", name, text, answer.reasons, html)
        check_outcome(problems, "practice_text", name, text, answer.practice_text, html)

        pages = {
            "case page I": html_of(client.get(reverse("casereview:page",
                                                       args=[case.public_id, "I"]))),
            "case page A1": html_of(client.get(reverse("casereview:page",
                                                       args=[case.public_id, "A1"]))),
            "check answers": html_of(client.get(reverse("casereview:check",
                                                        args=[case.public_id]))),
        }  # fmt: skip
        for page, html in pages.items():
            wanted = []
            if value_kept and page != "case page A1":
                wanted.append(stored_value)
            if reasons_kept and page != "case page I":
                wanted.append(answer.reasons)
            if reasons_kept and page == "case page A1":
                wanted.append(answer.practice_text)
            for stored in wanted:
                if wrong := shown_as_text(html, stored):
                    problems.append(f"{page}/{name}: {wrong}")

    assert not problems, "\n".join(problems)
    assert canary.requests == []


def test_a_page_saved_without_javascript_keeps_or_refuses_hostile_text_with_a_message(
    client, case, inspector, framework, corpus
):
    review = review_start(case=case)
    summary = framework.questions.get(code="A1S")
    url = reverse("casereview:page", args=[case.public_id, "A1"])
    client.force_login(inspector)
    problems: list[str] = []

    for name, text in corpus.items():
        answer = _current(review, summary)
        before = answer.reasons if answer else ""
        response = client.post(url, {"A1S-value": "no", "A1S-reasons": text,
                                     "A1S-practice_text": text,
                                     "A1S-version": answer.version if answer else 0})  # fmt: skip
        html = html_of(response)
        stored = _current(review, summary).reasons if _current(review, summary) else ""
        if response.status_code == 302:
            check_outcome(problems, "page save", name, text, stored, html)
            html = html_of(client.get(url))
            if wrong := shown_as_text(html, stored):
                problems.append(f"page after save/{name}: {wrong}")
        else:
            if stored != before:
                problems.append(f"page save/{name}: refused but changed")
            if not refused_with_message(html, name):
                problems.append(f"page save/{name}: refused without a message")
            if name in MARKUP and text in html:
                problems.append(f"page save/{name}: the refused text shown as markup")

    assert not problems, "\n".join(problems)


# --- The lead's review: queries, replies, notes on moves, practice examples --------------------


class Steps:
    """Post as a person; record what went wrong; fall back to benign text when refused."""

    def __init__(self, client, problems):
        self.client, self.problems = client, problems

    def post(self, user, url, data, *, where, name, text, stored, fallback=None, limit=None):
        """Post `data`; return whether `text` was stored as given."""
        self.client.force_login(user)
        response = self.client.post(url, data)
        html = html_of(response)
        if stored() != stored_form(text) and response.status_code == 302:
            html = html_of(self.client.get(response.url))  # the page with the message
            if name in MARKUP and text in html:
                self.problems.append(f"{where}/{name}: the next page shows it as markup")
        kept = check_outcome(self.problems, where, name, text, stored(), html, limit=limit)
        if not kept and fallback is not None:
            html_of(self.client.post(url, fallback))
        return kept


def test_queries_replies_notes_and_examples_keep_hostile_text_as_text(
    client, case, inspector, lead, framework, corpus, canary
):
    review = review_start(case=case)
    complete(review, inspector)
    summary = framework.questions.get(code="A1S")
    review_submit(review=review, by=inspector)
    lead_url = reverse("casereview:lead", args=[case.public_id])
    move_url = reverse("casereview:move", args=[case.public_id])
    examples_url = reverse("casereview:examples", args=[case.inspection.public_id])
    problems: list[str] = []
    steps = Steps(client, problems)

    def latest_query():
        return Query.objects.filter(review=review).order_by("-pk").first()

    def latest_note(to_status):
        return ReviewEvent.objects.filter(review=review, to_status=to_status).last().note

    for name, text in corpus.items():
        steps.post(lead, reverse("casereview:raise_query", args=[case.public_id]),
                   {"question": "A1S", "text": text}, where="query", name=name, text=text,
                   stored=lambda: latest_query().text,
                   fallback={"question": "A1S", "text": "Why?"})  # fmt: skip
        steps.post(lead, move_url, {"to": "returned", "note": text}, where="return note",
                   name=name, text=text, stored=lambda: latest_note("returned"),
                   fallback={"to": "returned", "note": ""})  # fmt: skip
        query = latest_query()
        steps.post(inspector, reverse("casereview:reply", args=[case.public_id, query.public_id]),
                   {"text": text}, where="reply", name=name, text=text,
                   stored=lambda: latest_query().reply, fallback={"text": "Because."})  # fmt: skip
        answer = Answer.objects.get(review=review, question=summary)
        answer_save(review=review, question=summary, by=inspector,
                    expected_version=answer.version, practice="good",
                    practice_text=text if name not in MUST_REFUSE | {LONG} else name)  # fmt: skip
        client.force_login(inspector)
        html_of(client.post(reverse("casereview:submit", args=[case.public_id])))
        decide = reverse("casereview:decide_example", args=[case.public_id, "A1S"])
        steps.post(lead, decide, {"decision": "approved", "text": text}, where="example", name=name,
                   text=text, stored=lambda: PracticeExample.objects.get().text,
                   fallback={"decision": "approved", "text": "An example."})  # fmt: skip
        examples = html_of(client.get(examples_url))
        answer.refresh_from_db()
        client.post(reverse("casereview:close_query", args=[case.public_id, query.public_id]))
        client.post(move_url, {"to": "agreed"})
        steps.post(lead, move_url, {"to": "submitted", "note": text}, where="unlock reason",
                   name=name, text=text, stored=lambda: latest_note("submitted"),
                   fallback={"to": "submitted", "note": "To check."})  # fmt: skip

        lead_page = html_of(client.get(lead_url))
        shown = {
            "lead page query": (lead_page, latest_query().text),
            "lead page reply": (lead_page, latest_query().reply),
            "lead page return note": (lead_page, latest_note("returned")),
            "lead page unlock reason": (lead_page, latest_note("submitted")),
            "examples page, as written": (examples, answer.practice_text),
            "examples page, as decided": (examples, PracticeExample.objects.get().text),
        }
        for where, (html, stored) in shown.items():
            if stored and (wrong := shown_as_text(html, stored)):
                problems.append(f"{where}/{name}: {wrong}")

    assert not problems, "\n".join(problems)
    assert canary.requests == []


def test_moderation_reasons_keep_hostile_text_as_text(
    client, case, inspector, other_inspector, lead, corpus, canary
):
    review = review_start(case=case)
    complete(review, inspector)
    review_submit(review=review, by=inspector)
    moderation = Moderation.objects.create(case=case, moderator=other_inspector, assigned_by=lead)
    url = reverse("casereview:moderate", args=[moderation.public_id])
    problems: list[str] = []
    steps = Steps(client, problems)

    def reasons():
        judgement = moderation.judgements.first()
        return judgement.reasons if judgement else ""

    for name, text in corpus.items():
        kept = steps.post(other_inspector, url, {"A1-value": "yes", "A1-reasons": text},
                          where="moderation", name=name, text=text, stored=reasons)  # fmt: skip
        if kept and (wrong := shown_as_text(html_of(client.get(url)), reasons())):
            problems.append(f"moderation page/{name}: {wrong}")

    assert not problems, "\n".join(problems)
    assert canary.requests == []


# --- The report writer's narrative and the PDF -------------------------------------------------

SECTIONS = ("summary", "key_findings", "recommendations")


def test_the_narrative_keeps_hostile_text_as_text(client, inspection, writer, corpus, canary):
    url = reverse("reports:narrative", args=[inspection.public_id])
    problems: list[str] = []
    steps = Steps(client, problems)

    for name, text in corpus.items():
        for section in SECTIONS:
            data = {other: "Benign." for other in SECTIONS} | {section: text}

            def stored(section=section):
                narrative = ReportNarrative.objects.filter(inspection=inspection).first()
                return getattr(narrative, section) if narrative else ""

            kept = steps.post(writer, url, data, where=section, name=name, text=text,
                              stored=stored)  # fmt: skip
            if kept and (wrong := shown_as_text(html_of(client.get(url)), stored())):
                problems.append(f"narrative page {section}/{name}: {wrong}")

    assert not problems, "\n".join(problems)
    assert canary.requests == []


def in_pdf(text: str) -> str:
    """Return `text` as the PDF's text layer can be compared: no whitespace, no invisibles."""
    return re.sub(r"[\s\u200b-\u200f\u202a-\u202e\ufeff]+", "", text)


# Entries whose characters a PDF's text layer gives back as they are (page headers split the
# long text; bidirectional reordering and missing glyphs change the others, which must still
# build without fetching anything).
LITERAL_IN_PDF = [*MARKUP, "bare_urls", "template_syntax", "formula_hyperlink", "formula_plus",
                  "formula_minus", "formula_at", "arabic_cjk", "crlf"]  # fmt: skip


def test_the_pdf_prints_hostile_text_as_text_and_fetches_nothing(
    client, inspection, inspector, lead, writer, framework, corpus, canary
):
    accepted = {name: text for name, text in corpus.items() if name not in MUST_REFUSE}
    review = review_start(case=_allocated_case(inspection, inspector))
    complete(review, inspector)
    summary = framework.questions.get(code="A1S")
    example = "\n".join(text for name, text in accepted.items() if name != LONG)
    answer_save(review=review, question=summary, by=inspector, expected_version=1,
                practice="good", practice_text=example)  # fmt: skip
    review_submit(review=review, by=inspector)
    review_transition(review=review, to_status="agreed", by=lead)
    answer = Answer.objects.get(review=review, question=summary)
    practice_example_decide(answer=answer, status="approved", text=example, by=lead)
    client.force_login(writer)
    sections = {section: example for section in SECTIONS}
    # The long text in one section only, cut to what a section holds.
    long_part = accepted[LONG][: NARRATIVE_LIMIT - len(stored_form(example)) - 2]
    sections["summary"] = example + "\n\n" + long_part
    response = client.post(reverse("reports:narrative", args=[inspection.public_id]), sections)
    assert response.status_code == 302, "the narrative with the whole corpus was refused"

    job, _ = report_request(inspections=[inspection], final=True, by=writer)
    report_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    text = "".join(pdf_pages(job.file.read()))
    assert PASSWD_LINE not in text
    flat = in_pdf(text)
    missing = [name for name in LITERAL_IN_PDF if in_pdf(accepted[name]) not in flat]
    assert missing == []
    assert flat.count(in_pdf(corpus["script_tag"])) == 4  # three sections and the example
    assert flat.count("hostile") == long_part.count("hostile") > 2_000  # the long text, whole
    assert canary.requests == []


def _allocated_case(inspection, inspector):
    return CaseFactory(inspection=inspection, allocated_to=inspector)


def test_the_pdf_fetches_nothing_even_from_markup_that_escaped_the_template(
    monkeypatch, corpus, canary
):
    from reports import pdf

    markup = "".join(corpus[name] for name in MARKUP)
    monkeypatch.setattr(pdf, "report_html", lambda data: f"<html><body>{markup}</body></html>")

    document = pdf.report_pdf(None)

    assert document.startswith(b"%PDF")
    assert PASSWD_LINE not in "".join(pdf_pages(document))
    assert canary.requests == []


# --- The lead's case sample: cases by hand, the sample CSV -------------------------------------


def test_case_references_and_ldus_keep_hostile_text_as_text(
    client, inspection, lead, inspector, corpus, canary
):
    add_url = reverse("inspection:case_add", args=[inspection.public_id])
    problems: list[str] = []
    steps = Steps(client, problems)

    def field_of(name, ref):
        case = inspection.cases.filter(case_ref=ref.replace("\x00", "")).first()
        return getattr(case, name) if case else ""

    for number, (name, text) in enumerate(corpus.items()):
        # A reference is an identifier: the one rule for references refuses all of these.
        client.force_login(lead)
        html = html_of(client.post(add_url, {"case_ref": text}))
        if field_of("case_ref", stored_form(text)):
            problems.append(f"case_ref/{name}: stored, though the reference rule refuses it")
        elif escape(CASE_REF_RULE) not in html and not refused_with_message(html, name):
            problems.append(f"case_ref/{name}: refused without the rule's message")
        elif name in MARKUP and text in html:
            problems.append(f"case_ref/{name}: the refusal shows it as markup")
        steps.post(lead, add_url, {"case_ref": f"L{number}", "ldu": text}, where="ldu",
                   name=name, text=text, stored=lambda ref=f"L{number}": field_of("ldu", ref),
                   limit=120)  # fmt: skip
    # References stored before the rule (typed by hand, or imported) are still shown as text.
    for name, text in corpus.items():
        if name not in MUST_REFUSE:
            CaseFactory(inspection=inspection, case_ref=stored_form(text)[:40])
    hostile = list(inspection.cases.exclude(case_ref__startswith="L"))
    Case.objects.filter(inspection=inspection).update(allocated_to=inspector)
    for case in inspection.cases.all():
        review_start(case=case)

    client.force_login(lead)
    pages = {
        "inspection": html_of(client.get(inspection.get_absolute_url())),
        "dashboard": html_of(client.get(reverse("casereview:dashboard",
                                                args=[inspection.public_id]))),
    }  # fmt: skip
    for case in hostile:
        pages[f"lead page {case.case_ref:.10}"] = html_of(
            client.get(reverse("casereview:lead", args=[case.public_id]))
        )
    client.force_login(inspector)
    pages["my cases"] = html_of(client.get(reverse("home")))
    for page, html in pages.items():
        for case in hostile:
            if page.startswith("lead page") and not page.endswith(f"{case.case_ref:.10}"):
                continue
            if wrong := shown_as_text(html, case.case_ref):
                problems.append(f"{page}/{case.case_ref!r}: {wrong}")
    client.force_login(lead)
    for case in inspection.cases.filter(case_ref__startswith="L").exclude(ldu=""):
        edit = reverse("inspection:case_edit", args=[inspection.public_id, case.public_id])
        html = html_of(client.get(edit))
        if wrong := shown_as_text(html, case.ldu):
            problems.append(f"case edit page/{case.ldu!r:.30}: {wrong}")

    assert len(hostile) >= 10  # the short entries fit a case reference
    assert not problems, "\n".join(problems)
    assert canary.requests == []


def _csv(*rows) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def _upload(client, inspection, data: bytes):
    upload = io.BytesIO(data)
    upload.name = "sample.csv"
    return client.post(reverse("inspection:import", args=[inspection.public_id]),
                       {"file": upload})  # fmt: skip


def test_the_sample_import_keeps_hostile_text_as_text_or_names_the_fault(
    client, inspection, lead, corpus, canary
):
    client.force_login(lead)
    problems: list[str] = []

    for number, (name, text) in enumerate(corpus.items()):
        response = _upload(client, inspection, _csv(["case_ref", "ldu"], [f"S{number}", text]))
        html = html_of(response)
        case = inspection.cases.filter(case_ref=f"S{number}").first()
        if check_outcome(problems, "sample ldu", name, text, case.ldu if case else "", html,
                         limit=120):  # fmt: skip
            edit = reverse("inspection:case_edit", args=[inspection.public_id, case.public_id])
            if wrong := shown_as_text(html_of(client.get(edit)), case.ldu):
                problems.append(f"sample ldu on the edit page/{name}: {wrong}")
        elif name in MARKUP and text in html:
            problems.append(f"sample ldu/{name}: the refusal shows it as markup")

        for column in ("case_ref", "gender"):
            row = {"case_ref": f"G{number}", "gender": "male"} | {column: text}
            before = inspection.cases.count()
            html = html_of(_upload(client, inspection, _csv(list(row), list(row.values()))))
            if inspection.cases.count() != before:
                problems.append(f"sample {column}/{name}: imported")
            if not re.search(r"Row 2, column (case_ref|gender)|NUL bytes", html):
                problems.append(f"sample {column}/{name}: refused without naming the fault")
            if name in MARKUP and text in html:
                problems.append(f"sample {column}/{name}: the refusal shows it as markup")

    assert not problems, "\n".join(problems)
    assert canary.requests == []


# --- The assessment dataset: import, export, import again --------------------------------------


def test_the_dataset_import_keeps_hostile_text_as_text_or_names_the_fault(
    framework, admin_user, tmp_path, corpus
):
    problems: list[str] = []

    for number, (name, text) in enumerate(corpus.items()):
        for column, row in (("I6.1", ["R1", text]), ("case_ref", [text, "Noted."])):
            slug = f"hostile-{number}-{column.replace('.', '')}".lower().replace("_", "-")
            path = tmp_path / f"{slug}.csv"
            path.write_bytes(_csv(["inspection", "case_ref", "I6.1"], [slug, *row]))
            said = StringIO()
            try:
                call_command("import_assessments", str(path), "--inspection", slug,
                             "--user", admin_user.username, stdout=StringIO(),
                             stderr=said)  # fmt: skip
            except CommandError as refused:
                message = f"{said.getvalue()}\n{refused}"
            else:
                message = ""
            answer = Answer.objects.filter(review__case__inspection__slug=slug).first()
            case = Case.objects.filter(inspection__slug=slug).first()
            stored = (answer.value if column == "I6.1" else case.case_ref) if answer else ""
            if column == "case_ref":  # an identifier: the one rule for references refuses these
                if stored:
                    problems.append(f"dataset case_ref/{name}: imported {stored!r:.40}")
                elif not re.search(rf"Row 2, column case_ref: .*{re.escape(CASE_REF_RULE)}|"
                                   "NUL bytes", message):  # fmt: skip
                    problems.append(f"dataset case_ref/{name}: not the rule: {message:.80}")
            else:
                kept = check_outcome(problems, f"dataset {column}", name, text, stored, message)
                if not kept and not re.search(r"Row 2, column|NUL bytes", message):
                    problems.append(f"dataset {column}/{name}: no row and column: {message:.80}")
            if message and Inspection.objects.filter(slug=slug).exists():
                problems.append(f"dataset {column}/{name}: refused, yet partly imported")
            if message and not message.rstrip().splitlines()[-1].startswith("Nothing was "):
                problems.append(f"dataset {column}/{name}: the last line does not say so")

    assert not problems, "\n".join(problems)


def test_the_export_never_starts_a_formula_and_imports_again_unchanged(
    client, inspection, inspector, lead, writer, admin_user, framework, corpus, tmp_path
):
    from tests.reports.helpers import agreed_case

    texts = [stored_form(t) for n, t in corpus.items() if n not in MUST_REFUSE and n != LONG]
    formulas = [t for n, t in corpus.items() if n.startswith("formula")]
    agreed_case(inspection, inspector, lead)
    # Text as the case form stores it (no outer spaces), with formulas a spreadsheet could find.
    tricky = ["=1+1", "'=1+1", "a; =1+1", "a,\t=1+1", "a;=1+1", "a\n-1+1", "see cmd|' /C x'!A0"]
    for number, text in enumerate(tricky):
        case = agreed_case(inspection, inspector, lead, case_ref=f"F{number}")
        answers = Answer.objects.filter(review__case=case)
        answers.filter(question__code="I6.1").update(value="\n".join(texts[number::7]))
        answers.filter(question__code="I6.2").update(value=formulas[number % len(formulas)])
        Answer.objects.update_or_create(
            review=case.review, question=framework.questions.get(code="V3S-reasons"),
            defaults={"value": text, "version": 1, "updated_by": inspector},
        )  # fmt: skip
    client.force_login(writer)

    first = html_of(client.get(reverse("reports:export", args=[inspection.public_id])))
    rows = list(csv.reader(io.StringIO(first)))
    cells = [cell for row in rows for cell in row]
    assert [c for c in cells if c.startswith(FORMULA_START) and not re.fullmatch(r"-?\d+", c)] == []
    inside = re.compile(r"[,;\t\r\n][ ]*[=+\-@]")
    assert [c for c in cells if inside.search(c)] == []
    assert {"'=1+1", "''=1+1", "a;' =1+1", "a,\t'=1+1", "a;'=1+1", "a\n'-1+1",
            "'see cmd|' /C x'!A0"} <= set(cells)  # fmt: skip
    (tmp_path / "data.csv").write_text(first, encoding="utf-8")
    slug = inspection.slug
    Inspection.objects.filter(pk=inspection.pk).delete()
    call_command("import_assessments", str(tmp_path / "data.csv"), "--inspection", slug,
                 "--user", admin_user.username, stdout=StringIO())  # fmt: skip
    again = Inspection.objects.get(slug=slug)
    client.force_login(admin_user)
    assert html_of(client.get(reverse("reports:export", args=[again.public_id]))) == first
    values = list(
        Answer.objects.filter(review__case__inspection=again).values_list("value", flat=True)
    )
    assert all(formula in values for formula in formulas)
    assert all("\n".join(texts[number::7]) in values for number in range(7))
    assert all(text in values for text in tricky)


# --- Text in addresses: filters and path segments -----------------------------------------------


def test_hostile_filters_and_addresses_get_a_page_never_a_server_error(
    client, case, inspector, lead, corpus, canary
):
    from urllib.parse import quote, urlencode

    inspection = case.inspection
    client.raise_request_exception = False  # a server error is a status to record here
    problems: list[str] = []
    for name, text in corpus.items():
        if name == LONG:
            text = text[:4000]  # addresses stop short of 100,000 characters anywhere
        segment = quote(text, safe="")
        urls = {
            lead: [
                reverse("casereview:dashboard", args=[inspection.public_id]) + "?"
                + urlencode({f: text for f in ("inspector", "provider", "status", "flagged")}),
                f"/cases/{case.public_id}/review/examples/{segment}/",
                f"/frameworks/{segment}/{segment}/",
                f"/frameworks/hmip-adult/{segment}/",
            ],
            inspector: [
                f"/cases/{case.public_id}/{segment}/",
                f"/sign-in/?next={segment}",
            ],
        }  # fmt: skip
        for user, addresses in urls.items():
            client.force_login(user)
            for url in addresses:
                method = client.post if "/examples/" in url else client.get
                response = method(url)
                if response.status_code >= 500:
                    problems.append(f"{url[:60]}/{name}: {response.status_code}")
                elif name in INVISIBLE_NUL and "Page not found" not in response.content.decode():
                    problems.append(f"{url[:60]}/{name}: {response.status_code}, not 'not found'")
                elif name in MARKUP and text in response.content.decode():
                    problems.append(f"{url[:60]}/{name}: shown as markup")

    assert not problems, "\n".join(problems)
    assert canary.requests == []


# --- In a browser -------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_page_full_of_hostile_markup_runs_and_fetches_nothing_in_chromium(
    live_server, page, case, inspector, lead, framework, corpus, canary
):
    from tests.browsing import sign_in
    from tests.constants import PASSWORD

    review = review_start(case=case)
    complete(review, inspector)
    summaries = Answer.objects.filter(review=review, question__kind="summary").order_by("pk")
    markup = [corpus[name] for name in MARKUP] + [corpus["bare_urls"]]
    for answer, text in zip(summaries, markup, strict=False):
        answer_save(review=review, question=answer.question, by=inspector,
                    expected_version=answer.version, reasons=text)  # fmt: skip
    review_submit(review=review, by=inspector)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    sign_in(page, live_server.url, lead.username, PASSWORD)
    page.goto(f"{live_server.url}{reverse('casereview:lead', args=[case.public_id])}")
    page.wait_for_load_state("networkidle")

    shown = page.locator("main").inner_text()
    assert all(text in shown for text in markup[: len(summaries)])
    assert dialogs == []
    assert canary.requests == []
