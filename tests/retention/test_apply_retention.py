"""Case data past its retention date: deleted or anonymised, files and history too, or a dry run."""

import datetime
import io
import uuid
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from audit.models import AuditEvent
from casereview.models import (
    Answer,
    AnswerChange,
    Moderation,
    ModerationJudgement,
    PracticeExample,
    Query,
    Review,
    ReviewEvent,
)
from casereview.workflow.services import review_start
from inspection.models import Case
from reports.models import ReportJob, ReportNarrative, StoredFile
from reports.storage import report_storage
from standards.models import KeyQuestion, Question
from tests.casereview.helpers import complete
from tests.factories import CaseFactory, InspectionFactory, MembershipFactory

SECRET = "Ms Quillfeather's son is on a child protection plan"
TODAY = datetime.date(2026, 11, 21)


def case_with_everything(inspection, inspector, lead, moderator, ref):
    """Return a case whose review holds text in every place case text can be."""
    case = CaseFactory(
        inspection=inspection, allocated_to=inspector, case_ref=ref,
        date_of_birth=datetime.date(1980, 5, 1), release_date=None, ldu="Durham North",
    )  # fmt: skip
    review = review_start(case=case)
    complete(review, inspector)
    summary = Answer.objects.get(review=review, question__code="A1S")
    Answer.objects.filter(pk=summary.pk).update(
        reasons=SECRET, practice="good", practice_text=SECRET
    )
    text_question = Question.objects.filter(
        framework_version=inspection.framework_version, answer_type="text"
    ).first()
    Answer.objects.update_or_create(
        review=review, question=text_question, defaults={"value": SECRET, "updated_by": inspector}
    )
    AnswerChange.objects.create(review=review, question=summary.question, part="reasons",
                                old="", new=SECRET, changed_by=inspector)  # fmt: skip
    PracticeExample.objects.create(answer=summary, status="approved", original=SECRET,
                                   text=SECRET, decided_by=lead)  # fmt: skip
    Query.objects.create(review=review, question=summary.question, text=SECRET, raised_by=lead,
                         reply=SECRET, replied_by=inspector)  # fmt: skip
    ReviewEvent.objects.create(review=review, from_status="submitted", to_status="returned",
                               actor=lead, note=SECRET)  # fmt: skip
    moderation = Moderation.objects.create(case=case, moderator=moderator, assigned_by=lead)
    ModerationJudgement.objects.create(
        moderation=moderation, value="no", reasons=SECRET,
        key_question=KeyQuestion.objects.get(section__framework_version=inspection.framework_version,
                                             code="A1"),
    )  # fmt: skip
    return case


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@dataclass
class StoredReport:
    """A report PDF where the application keeps it (Postgres by default)."""

    name: str

    def exists(self) -> bool:
        return report_storage().exists(self.name)


def report_file(inspections, by, media):
    job = ReportJob.objects.create(requested_by=by, fingerprint=uuid.uuid4().hex, status="done")
    job.inspections.set(inspections)
    job.file.save(f"{job.public_id}.pdf", ContentFile(f"%PDF {SECRET}".encode()))
    return StoredReport(job.file.name)


@pytest.fixture
def expired(inspection, inspector, other_inspector, lead, media):
    """The inspection, past its retention date, with two full cases, a narrative and a report."""
    inspection.retain_until = TODAY - datetime.timedelta(days=1)
    inspection.save()
    for ref in ("X900", "X100"):
        case_with_everything(inspection, inspector, lead, other_inspector, ref)
    ReportNarrative.objects.create(inspection=inspection, summary=SECRET, updated_by=lead)
    return inspection


@pytest.fixture
def kept(framework, inspector, other_inspector, lead, media):
    """Another inspection, kept for a year yet, with a case and a report of its own."""
    inspection = InspectionFactory(
        framework_version=framework, retain_until=TODAY + datetime.timedelta(days=365)
    )
    MembershipFactory(inspection=inspection, user=inspector, role="inspector")
    case_with_everything(inspection, inspector, lead, other_inspector, "K1")
    return inspection


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the command as in production: files go once the transaction commits."""

    def run(*args):
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("apply_retention", "--today", TODAY.isoformat(), *args, stdout=out)
        return out.getvalue()

    return run


def rows_holding(text) -> dict[str, int]:
    """Return, per table of our apps, how many rows hold `text` anywhere."""
    found = {}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if model._meta.app_label not in ("inspection", "casereview", "reports", "audit"):
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            query = f"SELECT count(*) FROM {table} t WHERE t::text LIKE %s"  # noqa: S608 (our tables)
            cursor.execute(query, [f"%{text}%"])
            if (count := cursor.fetchone()[0]) > 0:
                found[model._meta.db_table] = count
    return found


def counts(inspection):
    of_case = {"review__case__inspection": inspection}
    return {
        "cases": Case.objects.filter(inspection=inspection).count(),
        "answers": Answer.objects.filter(**of_case).count(),
        "changes": AnswerChange.objects.filter(**of_case).count(),
        "events": ReviewEvent.objects.filter(**of_case).count(),
        "queries": Query.objects.filter(**of_case).count(),
        "moderations": Moderation.objects.filter(case__inspection=inspection).count(),
        "jobs": ReportJob.objects.filter(inspections=inspection).count(),
    }


def test_a_dry_run_lists_what_would_go_and_changes_nothing(expired, kept, lead, media, run):
    pdf = report_file([expired], lead, media)
    before = counts(expired)

    out = run("--dry-run")

    assert f"Would remove the case data of {expired}" in out
    assert "cases deleted: 2" in out
    assert "queries deleted: 2" in out
    assert "report narratives deleted: 1" in out
    assert f"report file: {pdf.name}" in out
    assert "Dry run: nothing was changed." in out
    assert kept.name not in out
    assert counts(expired) == before
    assert pdf.exists()
    assert not AuditEvent.objects.filter(action="retention").exists()


def test_deleting_removes_every_case_row_history_and_report_file(expired, kept, lead, media, run):
    pdf = report_file([expired], lead, media)
    thematic = report_file([expired, kept], lead, media)  # it holds the expired cases too
    kept_pdf = report_file([kept], lead, media)
    kept_before = counts(kept)

    out = run()

    assert f"Removed the case data of {expired}" in out
    assert counts(expired) == dict.fromkeys(counts(expired), 0)
    assert not ReportNarrative.objects.filter(inspection=expired).exists()
    assert not pdf.exists() and not thematic.exists()
    assert kept_pdf.exists()
    assert counts(kept) == {**kept_before, "jobs": kept_before["jobs"] - 1}
    expired.refresh_from_db()
    assert (expired.case_data_removed, expired.memberships.count()) == ("deleted", 3)
    assert rows_holding("X900") == {} and rows_holding("X100") == {}


def test_deleting_leaves_no_trace_of_the_case_text_outside_kept_inspections(
    expired, lead, media, run
):
    report_file([expired], lead, media)
    assert rows_holding(SECRET)

    run()

    assert rows_holding(SECRET) == {}
    assert not StoredFile.objects.exists()  # the PDF's bytes, which rows_holding cannot read


def test_anonymising_keeps_the_judgements_and_nothing_that_identifies(expired, lead, media, run):
    pdf = report_file([expired], lead, media)
    judgements = sorted(
        Answer.objects.filter(review__case__inspection=expired, question__kind="summary")
        .values_list("question__code", "value")
    )  # fmt: skip

    out = run("--anonymise")

    assert "it anonymised:" in out
    cases = list(Case.objects.filter(inspection=expired).order_by("case_ref"))
    assert [c.case_ref for c in cases] == ["Case 0001", "Case 0002"]
    assert {(c.date_of_birth, c.release_date, c.ldu) for c in cases} == {(None, None, "")}
    assert sorted(
        Answer.objects.filter(review__case__inspection=expired, question__kind="summary")
        .values_list("question__code", "value")
    ) == judgements  # fmt: skip
    assert Review.objects.filter(case__inspection=expired).count() == 2
    assert rows_holding(SECRET) == {"reports_reportnarrative": 1}  # the published findings stay
    assert rows_holding("X900") == {}
    assert not pdf.exists()
    assert not AnswerChange.objects.filter(review__case__inspection=expired).exists()


def test_anonymised_data_can_be_deleted_later(expired, media, run):
    run("--anonymise")

    assert "No inspection" in run("--anonymise")
    run()

    assert not Case.objects.filter(inspection=expired).exists()


def test_an_inspection_inside_its_retention_period_is_refused_by_name(kept, run):
    with pytest.raises(CommandError, match=f"{kept} keeps its case data until"):
        run("--inspection", kept.slug)

    assert counts(kept)["cases"] == 1


def test_an_inspection_without_a_retention_date_is_never_due(inspection, case, run):
    assert "No inspection's case data is due" in run()
    with pytest.raises(CommandError, match="no retention date is set"):
        run("--inspection", inspection.slug)

    assert Case.objects.filter(pk=case.pk).exists()


def test_a_removal_that_fails_part_way_removes_nothing(expired, lead, media, monkeypatch, run):
    pdf = report_file([expired], lead, media)
    before = counts(expired)

    def fail(**kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr("retention.services.audit_record", fail)  # after the deletes
    with pytest.raises(RuntimeError):
        run()

    assert counts(expired) == before
    assert pdf.exists()
    expired.refresh_from_db()
    assert expired.case_data_removed == ""


def test_the_removal_is_in_the_audit_log_with_counts_and_no_text(expired, media, run):
    run()

    (event,) = AuditEvent.objects.filter(action="retention")
    assert event.object_id == str(expired.public_id)
    assert event.detail["mode"] == "deleted"
    assert event.detail["cases deleted"] == 2
    assert SECRET not in str(event.detail)
