"""Removing an inspection's case data once its retention date has passed.

Deleting removes the cases and everything hanging from them (reviews, answers and
their history, state changes, queries, practice examples, moderations), every
report job and PDF that includes the inspection, and its report narrative.

Anonymising keeps each case's judgements for statistics and removes what could
identify a person: the case reference becomes a number, the dates of birth,
sentence and release and the LDU go, and every piece of free text (text answers,
reasons, practice examples, queries, notes, the answer history) is erased.
Report jobs and PDFs go as when deleting; the narrative, the inspection's
published findings, stays.

Either way the inspection itself, its providers and its team stay, marked with
what was removed and when, and the audit log records the removal with its counts.
"""

import logging
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record
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
from inspection.models import Case, Inspection
from reports.models import ReportJob, ReportNarrative
from reports.storage import report_storage
from standards.models import AnswerType

log = logging.getLogger(__name__)
MODES = ("deleted", "anonymised")


@dataclass
class RetentionPlan:
    """What removing one inspection's case data does (or did): counts and report files."""

    inspection: Inspection
    mode: str
    counts: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [f"{label}: {number}" for label, number in self.counts.items()] + [
            f"report file: {name}" for name in self.files
        ]


def inspections_due(*, today: date, mode: str) -> list[Inspection]:
    """Return the inspections past their retention date with case data left to remove.

    Anonymised data may still be deleted later; deleted data is gone.
    """
    done = ["deleted"] if mode == "deleted" else ["deleted", "anonymised"]
    due = Inspection.objects.filter(retain_until__lt=today).exclude(case_data_removed__in=done)
    return list(due.order_by("retain_until", "slug"))


def retention_plan(*, inspection: Inspection, mode: str) -> RetentionPlan:
    """Return what removing `inspection`'s case data would do, counted in SQL."""
    if mode not in MODES:
        raise ValueError(f"Unknown retention mode {mode!r}")
    of_case = {"review__case__inspection": inspection}
    jobs = ReportJob.objects.filter(inspections=inspection)
    plan = RetentionPlan(inspection=inspection, mode=mode)
    plan.files = sorted(name for name in jobs.values_list("file", flat=True) if name)
    if mode == "deleted":
        plan.counts = {
            "cases deleted": Case.objects.filter(inspection=inspection).count(),
            "reviews deleted": Review.objects.filter(case__inspection=inspection).count(),
            "answers deleted": Answer.objects.filter(**of_case).count(),
            "answer history entries deleted": AnswerChange.objects.filter(**of_case).count(),
            "state changes deleted": ReviewEvent.objects.filter(**of_case).count(),
            "queries deleted": Query.objects.filter(**of_case).count(),
            "practice examples deleted": PracticeExample.objects.filter(
                answer__review__case__inspection=inspection
            ).count(),
            "moderations deleted": Moderation.objects.filter(case__inspection=inspection).count(),
            "report narratives deleted": ReportNarrative.objects.filter(
                inspection=inspection
            ).count(),
            "report jobs deleted": jobs.count(),
        }
    else:
        plan.counts = {
            "cases anonymised": Case.objects.filter(inspection=inspection).count(),
            "answers with text erased": _answers_with_text(inspection).count(),
            "answer history entries deleted": AnswerChange.objects.filter(**of_case).count(),
            "state change notes erased": ReviewEvent.objects.filter(**of_case)
            .exclude(note="")
            .count(),
            "queries deleted": Query.objects.filter(**of_case).count(),
            "practice examples deleted": PracticeExample.objects.filter(
                answer__review__case__inspection=inspection
            ).count(),
            "moderation reasons erased": _moderation_reasons(inspection).count(),
            "report jobs deleted": jobs.count(),
        }
    return plan


@transaction.atomic
def retention_apply(*, inspection: Inspection, mode: str, today: date, by=None) -> RetentionPlan:
    """Delete or anonymise `inspection`'s case data, all of it or, on any error, none."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.retain_until is None or inspection.retain_until >= today:
        kept = inspection.retain_until or "no retention date is set"
        raise ValidationError(f"{inspection} keeps its case data until {kept}.")
    plan = retention_plan(inspection=inspection, mode=mode)
    ReportJob.objects.filter(inspections=inspection).delete()
    if mode == "deleted":
        ReportNarrative.objects.filter(inspection=inspection).delete()
        Case.objects.filter(inspection=inspection).delete()
    else:
        _anonymise(inspection)
    inspection.case_data_removed, inspection.case_data_removed_at = mode, timezone.now()
    inspection.save(update_fields=["case_data_removed", "case_data_removed_at"])
    audit_record(
        action=AuditEvent.Action.RETENTION,
        user=by,
        obj=inspection,
        inspection=inspection,
        detail={"mode": mode, **plan.counts, "report files deleted": len(plan.files)},
    )
    files = list(plan.files)
    transaction.on_commit(lambda: _delete_files(files))
    return plan


def _anonymise(inspection: Inspection) -> None:
    of_case = {"review__case__inspection": inspection}
    cases = list(Case.objects.filter(inspection=inspection).order_by("case_ref", "pk"))
    for number, case in enumerate(cases, start=1):
        case.case_ref = f"Case {number:04d}"
        case.date_of_birth = case.sentence_date = case.release_date = None
        case.ldu = ""
    Case.objects.bulk_update(
        cases,
        ["case_ref", "date_of_birth", "sentence_date", "release_date", "ldu"],
        batch_size=500,
    )
    _answers_with_text(inspection).filter(question__answer_type=AnswerType.TEXT).update(value=None)
    _answers_with_text(inspection).update(reasons="", practice_text="")
    AnswerChange.objects.filter(**of_case).delete()
    ReviewEvent.objects.filter(**of_case).update(note="")
    Query.objects.filter(**of_case).delete()
    PracticeExample.objects.filter(answer__review__case__inspection=inspection).delete()
    _moderation_reasons(inspection).update(reasons="")


def _answers_with_text(inspection: Inspection):
    text_answer = Q(question__answer_type=AnswerType.TEXT) & Q(value__isnull=False)
    return Answer.objects.filter(review__case__inspection=inspection).filter(
        text_answer | ~Q(reasons="") | ~Q(practice_text="")
    )


def _moderation_reasons(inspection: Inspection):
    return ModerationJudgement.objects.filter(moderation__case__inspection=inspection).exclude(
        reasons=""
    )


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            report_storage().delete(name)
        # Whatever the store (Postgres, S3) fails with: the rows are gone, so say which
        # file an operator must remove.
        except Exception:
            log.error("Could not delete report file %s after retention", name)
