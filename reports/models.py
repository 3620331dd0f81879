"""Report jobs and the report writer's narrative, both held in Postgres."""

import uuid

from django.conf import settings
from django.db import models

from inspection.models import Inspection
from reports.storage import report_storage


class ReportNarrative(models.Model):
    """The sections the report writer writes for an inspection's report."""

    inspection = models.OneToOneField(
        Inspection, on_delete=models.CASCADE, related_name="narrative"
    )
    summary = models.TextField(blank=True)
    key_findings = models.TextField(blank=True)
    recommendations = models.TextField(blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Narrative of {self.inspection}"


class ReportJob(models.Model):
    """One request for a report PDF: who asked, its state, the data it was built from."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Being built"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    inspections = models.ManyToManyField(Inspection, related_name="report_jobs")
    final = models.BooleanField(default=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # per cent
    stage = models.CharField(max_length=100, blank=True)
    fingerprint = models.CharField(max_length=64)
    file = models.FileField(upload_to="reports/", storage=report_storage, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When the job was last handed to the broker; empty while Redis was down (sent again later).
    sent_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The attempt building the job holds it while its heartbeat is fresh: no other attempt
    # builds it meanwhile, and only the holder may record the result.
    lease = models.UUIDField(null=True, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["fingerprint", "status"])]
        constraints = [
            # One live job per set of data: requests at the same moment share it.
            models.UniqueConstraint(
                fields=["fingerprint"],
                condition=~models.Q(status="failed"),
                name="one_live_report_job_per_fingerprint",
            ),
        ]

    def __str__(self):
        return f"Report job {self.public_id} ({self.status})"

    @property
    def filename(self) -> str:
        """The name the PDF downloads under: the inspections' slugs, and whether a draft."""
        names = "-".join(i.slug for i in self.inspections.all())
        return f"{names}-{'report' if self.final else 'draft-report'}.pdf"


class StoredFile(models.Model):
    """A file kept in Postgres (reports.storage.DatabaseStorage): reached from every machine."""

    name = models.CharField(max_length=255, unique=True)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name
