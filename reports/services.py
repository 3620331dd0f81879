"""Report jobs: requested in a web request, built by a worker, state kept in Postgres.

Nothing happens twice. Requests for unchanged data share one job (a unique constraint
on the live jobs' fingerprints). A job writes exactly one file, named by the job, and a
finished job is never built again. The attempt building a job holds a lease it renews
while it works, so a job handed out twice is built by one attempt at a time; a build
whose worker died is taken over once its lease runs out. A job the broker could not take
(Redis down) is sent by the next sweep, and so is one whose message was lost or whose
builder died. Sweeps run on the report page, on its progress poll and every minute on a
worker started with -B (settings.CELERY_BEAT_SCHEDULE).
"""

import hashlib
import logging
import threading
import uuid
from contextlib import contextmanager
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from casereview.models import Answer, PracticeExample, Review
from inspection.models import Inspection
from inspection.permissions import Action, check
from reports.aggregation import DRAFT_STATUSES, FINAL_STATUSES
from reports.data import report_data
from reports.models import ReportJob, ReportNarrative
from reports.narrative import SECTIONS, narrative_section_clean
from reports.pdf import report_pdf
from standards.selectors import report_layout

log = logging.getLogger(__name__)
STUCK_AFTER = timedelta(minutes=10)
# A build renews its lease every HEARTBEAT; one not renewed for LEASE is taken to be dead.
HEARTBEAT = timedelta(seconds=10)
LEASE = timedelta(seconds=60)
WAITING = (ReportJob.Status.QUEUED, ReportJob.Status.RUNNING)


def report_fingerprint(*, inspections, final: bool) -> str:
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
    parts = [ids, final, answers, reviews, narratives, examples, frameworks, "layout-2"]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


@transaction.atomic
def report_request(*, inspections, final: bool, by) -> tuple[ReportJob, bool]:
    """Return (job, whether it is new): an existing job for unchanged data, else a new one.

    Requests at the same moment for the same data share one job: the fingerprint is unique
    among live jobs (a constraint), so all but one insert fail and take the one that won.
    """
    inspections = list(inspections)
    if not inspections:
        raise ValidationError("Choose at least one inspection.")
    for inspection in inspections:
        check(by, Action.REPORT, inspection)
    # Refuses inspections whose report layouts differ.
    report_layout(versions=[i.framework_version for i in inspections])
    fingerprint = report_fingerprint(inspections=inspections, final=final)
    live = ReportJob.objects.exclude(status=ReportJob.Status.FAILED)
    if existing := live.filter(fingerprint=fingerprint).first():
        return existing, False
    try:
        with transaction.atomic():
            job = ReportJob.objects.create(final=final, requested_by=by, fingerprint=fingerprint)
    except IntegrityError:  # another request for the same data committed it meanwhile
        return live.get(fingerprint=fingerprint), False
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
        ReportJob.objects.filter(pk=job_id, status__in=WAITING).update(
            sent_at=None, stage="Waiting for the task queue"
        )
        return False
    return True


class ReportJobBusy(Exception):
    """Another attempt holds the job's lease: look again once it would have run out."""

    def __init__(self, retry_in: float):
        super().__init__(f"another attempt is building it; look again in {retry_in:.0f} s")
        self.retry_in = retry_in


def report_job_run(*, job_id: int) -> ReportJob:
    """Build the job's PDF once; a finished job is returned as it is.

    The attempt that builds a job holds its lease and renews it every HEARTBEAT while it
    works. Another attempt (a message handed out again, a sweep's) finds the lease fresh and
    raises ReportJobBusy instead of building beside it; once the holder has stopped renewing
    (its worker died) the lease runs out after LEASE and the next attempt takes it over.
    Only the lease's holder records the result.
    """
    lease = uuid.uuid4()
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job_id)
        if job.status == ReportJob.Status.DONE:
            return job
        now = timezone.now()
        if (
            job.status == ReportJob.Status.RUNNING
            and job.heartbeat_at
            and (job.heartbeat_at > now - LEASE)
        ):
            raise ReportJobBusy((job.heartbeat_at + LEASE - now).total_seconds() + 1)
        if job.status == ReportJob.Status.FAILED and (
            ReportJob.objects.filter(fingerprint=job.fingerprint).exclude(pk=job.pk).exists()
        ):
            return job  # asked for again meanwhile: that job builds it
        job.status, job.attempts, job.started_at = ReportJob.Status.RUNNING, job.attempts + 1, now
        job.lease, job.heartbeat_at = lease, now
        job.progress, job.stage, job.error = 5, "Reading the judgements", ""
        job.save()
    held = ReportJob.objects.filter(pk=job.pk, lease=lease)
    try:
        with _heartbeat(held):
            inspections = list(job.inspections.select_related("framework_version", "narrative"))
            data = report_data(inspections, final=job.final)
            held.update(progress=40, stage="Laying out the PDF", heartbeat_at=timezone.now())
            pdf = report_pdf(data)
    except Exception as error:
        held.update(
            status=ReportJob.Status.FAILED,
            error=f"{type(error).__name__}: the report could not "
            "be built. Ask again; if it fails again, tell the service's administrators.",
            finished_at=timezone.now(),
            lease=None,
        )
        raise
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job.pk)
        if job.lease != lease:  # thought dead and taken over: the other attempt records it
            return job
        if job.file:
            job.file.delete(save=False)
        # A build killed after writing its file but before recording it left the file
        # behind: replace it, or the storage would save a second one beside it.
        name = f"{job.public_id}.pdf"
        job.file.storage.delete(job.file.field.generate_filename(job, name))
        job.file.save(name, ContentFile(pdf), save=False)
        job.status, job.progress, job.stage = ReportJob.Status.DONE, 100, "Ready"
        job.finished_at, job.lease = timezone.now(), None
        job.save()
    return job


@contextmanager
def _heartbeat(held):
    """Renew the lease of `held` (a queryset of the job, while ours) every HEARTBEAT."""
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(HEARTBEAT.total_seconds()):
                held.update(heartbeat_at=timezone.now())
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name="report-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def report_jobs_requeue(*, older_than: timedelta = STUCK_AFTER) -> int:
    """Send the jobs not sent yet, and again those stuck; return how many were sent.

    Stuck: queued and sent longer than `older_than` ago (a lost message), or being built
    by an attempt whose lease has run out (its worker died) and not sent again since the
    lease was last renewed. A dead build is so sent once, as soon as its lease has run
    out; any worker takes it from the queue as soon as one is there.
    """
    now = timezone.now()
    waiting = ReportJob.objects.filter(status__in=WAITING)
    sent = 0
    for job_id in waiting.filter(sent_at__isnull=True).values_list("pk", flat=True):
        sent += _send(job_id, claim=Q(sent_at__isnull=True, status__in=WAITING), stage="")
    lost = waiting.filter(status=ReportJob.Status.QUEUED, sent_at__lt=now - older_than)
    for job_id, sent_at in lost.values_list("pk", "sent_at"):
        claim = Q(sent_at=sent_at, status=ReportJob.Status.QUEUED)
        sent += _send(job_id, claim=claim, stage="Queued again")
    dead = Q(status=ReportJob.Status.RUNNING, heartbeat_at__lt=now - LEASE)
    not_sent_since = Q(sent_at__lte=F("heartbeat_at")) | Q(sent_at__lt=now - older_than)
    for job_id, heartbeat_at in waiting.filter(dead, not_sent_since).values_list(
        "pk", "heartbeat_at"
    ):
        claim = dead & not_sent_since & Q(heartbeat_at=heartbeat_at)
        sent += _send(job_id, claim=claim, stage="Being built again: the first attempt stopped")
    return sent


@transaction.atomic
def narrative_save(*, inspection: Inspection, by, **sections) -> ReportNarrative:
    """Save the report writer's narrative sections for `inspection`.

    Each section holds up to reports.narrative.NARRATIVE_LIMIT characters; a longer one is
    refused with a message naming it, and nothing is saved.
    """
    check(by, Action.REPORT, inspection)
    problems, cleaned = {}, {}
    for name in SECTIONS:
        if name in sections:
            try:
                cleaned[name] = narrative_section_clean(name, sections[name])
            except ValidationError as invalid:
                problems[name] = invalid.messages
    if problems:
        raise ValidationError(problems)
    narrative, _ = ReportNarrative.objects.select_for_update().get_or_create(
        inspection=inspection, defaults={"updated_by": by}
    )
    for name, text in cleaned.items():
        setattr(narrative, name, text)
    narrative.updated_by = by
    narrative.full_clean()
    narrative.save()
    return narrative
