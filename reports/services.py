"""Report jobs: requested in a web request, built by a worker, state kept in Postgres.

Building is idempotent: a job writes exactly one file, named by the job, and a
finished job is never built again. A job the broker could not take (Redis down)
is sent by the next sweep; one sent or running for too long (a lost message, a
killed worker) is sent again. Sweeps run on the report page, on its progress
poll and every minute on a worker started with -B (settings.CELERY_BEAT_SCHEDULE).
"""

import hashlib
import logging
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from casereview.models import Answer, PracticeExample, Review
from inspection.models import Inspection
from inspection.selectors import inspection_role
from reports.aggregation import DRAFT_STATUSES, FINAL_STATUSES
from reports.data import report_data
from reports.models import ReportJob, ReportNarrative
from reports.pdf import report_pdf

log = logging.getLogger(__name__)
REPORT_ROLES = ("lead", "writer", "admin")
STUCK_AFTER = timedelta(minutes=10)
WAITING = (ReportJob.Status.QUEUED, ReportJob.Status.RUNNING)


def check_report_role(user, inspections) -> None:
    """Refuse unless `user` is a lead inspector, report writer or admin of every inspection."""
    for inspection in inspections:
        if inspection_role(user, inspection) not in REPORT_ROLES:
            raise PermissionDenied("Only the inspection's report writers and leads make reports.")


def report_fingerprint(inspections, *, final: bool) -> str:
    """Return a hash of everything a report is built from; it changes when any of it changes."""
    ids = sorted(i.pk for i in inspections)
    statuses = FINAL_STATUSES if final else DRAFT_STATUSES
    answers = Answer.objects.filter(
        review__case__inspection__in=ids, review__status__in=statuses
    ).aggregate(n=Count("pk"), changed=Max("updated_at"))
    reviews = Review.objects.filter(case__inspection__in=ids).aggregate(
        n=Count("pk"), changed=Max("updated_at")
    )
    narratives = ReportNarrative.objects.filter(inspection__in=ids).aggregate(
        changed=Max("updated_at")
    )
    examples = PracticeExample.objects.filter(answer__review__case__inspection__in=ids).aggregate(
        n=Count("pk"), changed=Max("decided_at")
    )
    frameworks = sorted({i.framework_version.content_hash for i in inspections})
    parts = [ids, final, answers, reviews, narratives, examples, frameworks, "layout-1"]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


@transaction.atomic
def report_request(*, inspections, final: bool, by) -> tuple[ReportJob, bool]:
    """Return (job, whether it is new): an existing job for unchanged data, else a new one."""
    inspections = list(inspections)
    if not inspections:
        raise ValidationError("Choose at least one inspection.")
    check_report_role(by, inspections)
    fingerprint = report_fingerprint(inspections, final=final)
    ids = sorted(i.pk for i in inspections)
    for job in ReportJob.objects.filter(fingerprint=fingerprint, final=final).exclude(
        status=ReportJob.Status.FAILED
    ):
        if sorted(job.inspections.values_list("pk", flat=True)) == ids:
            return job, False
    job = ReportJob.objects.create(final=final, requested_by=by, fingerprint=fingerprint)
    job.inspections.set(inspections)
    transaction.on_commit(lambda: _send(job.pk, claim=Q(sent_at__isnull=True)))
    return job, True


def _send(job_id: int, *, claim: Q, **changes) -> bool:
    """Hand the job to the broker if it still matches `claim`; return whether it was sent.

    The claim is an update only one process can win, so the request's own send and a
    sweep never both send a job. A send that fails leaves the job unsent: the next sweep
    sends it, so a request made while Redis is down is built once Redis is back.
    """
    from reports.tasks import build_report

    if not ReportJob.objects.filter(claim, pk=job_id).update(sent_at=timezone.now(), **changes):
        return False
    try:
        build_report.delay(job_id)
    except Exception:  # the broker is down or not answering (settings bound the wait)
        log.warning("Report job %s could not be queued now; it will be queued again", job_id)
        ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.QUEUED).update(
            sent_at=None, stage="Waiting for the task queue"
        )
        return False
    return True


def report_job_run(*, job_id: int) -> ReportJob:
    """Build the job's PDF once; a finished job is returned as it is."""
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job_id)
        if job.status == ReportJob.Status.DONE:
            return job
        job.status, job.attempts, job.started_at = (
            ReportJob.Status.RUNNING,
            job.attempts + 1,
            timezone.now(),
        )
        job.progress, job.stage, job.error = 5, "Reading the judgements", ""
        job.save()
    try:
        inspections = list(job.inspections.select_related("framework_version", "narrative"))
        data = report_data(inspections, final=job.final)
        _progress(job, 40, "Laying out the PDF")
        pdf = report_pdf(data)
    except Exception as error:
        ReportJob.objects.filter(pk=job.pk).update(
            status=ReportJob.Status.FAILED, error=f"{type(error).__name__}: the report could not "
            "be built. Ask again; if it fails again, tell the service's administrators.",
            finished_at=timezone.now(),
        )  # fmt: skip
        raise
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job.pk)
        if job.status == ReportJob.Status.DONE:  # another attempt finished first
            return job
        if job.file:
            job.file.delete(save=False)
        # A build killed after writing its file but before recording it left the file
        # behind: replace it, or the storage would save a second one beside it.
        name = f"{job.public_id}.pdf"
        job.file.storage.delete(job.file.field.generate_filename(job, name))
        job.file.save(name, ContentFile(pdf), save=False)
        job.status, job.progress, job.stage = ReportJob.Status.DONE, 100, "Ready"
        job.finished_at = timezone.now()
        job.save()
    return job


def _progress(job: ReportJob, percent: int, stage: str) -> None:
    ReportJob.objects.filter(pk=job.pk).update(progress=percent, stage=stage)


def report_jobs_requeue(*, older_than: timedelta = STUCK_AFTER) -> int:
    """Send the jobs not sent yet, and again those stuck; return how many were sent.

    Stuck: sent and not started since, or started, longer than `older_than` ago and not
    finished (a lost message, a killed worker).
    """
    cutoff = timezone.now() - older_than
    waiting = ReportJob.objects.filter(status__in=WAITING)
    sent = 0
    for job_id in waiting.filter(sent_at__isnull=True).values_list("pk", flat=True):
        sent += _send(job_id, claim=Q(sent_at__isnull=True, status__in=WAITING), stage="")
    not_started_since = ~Q(started_at__gte=cutoff)
    stuck = waiting.filter(not_started_since, sent_at__lt=cutoff)
    for job_id, sent_at in stuck.values_list("pk", "sent_at"):
        claim = not_started_since & Q(sent_at=sent_at, status__in=WAITING)
        sent += _send(job_id, claim=claim, status=ReportJob.Status.QUEUED, stage="Queued again")
    return sent


@transaction.atomic
def narrative_save(*, inspection: Inspection, by, **sections) -> ReportNarrative:
    """Save the report writer's narrative sections for `inspection`."""
    check_report_role(by, [inspection])
    narrative, _ = ReportNarrative.objects.select_for_update().get_or_create(
        inspection=inspection, defaults={"updated_by": by}
    )
    for name in ("summary", "key_findings", "recommendations"):
        if name in sections:
            setattr(narrative, name, sections[name])
    narrative.updated_by = by
    narrative.full_clean()
    narrative.save()
    return narrative
