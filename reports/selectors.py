"""Read report jobs, scoped to the person asking."""

from django.db.models import QuerySet

from inspection.models import Inspection
from inspection.permissions import Action, inspections_where
from reports.models import ReportJob


def report_jobs_listed(*, user, inspection: Inspection) -> QuerySet[ReportJob]:
    """Return the inspection's jobs that `user` may open: none covering one they cannot."""
    # Not inspection.report_jobs: its join would make the exclude below test one row only.
    reported = inspections_where(user, Action.REPORT)
    return ReportJob.objects.filter(inspections=inspection).exclude(
        inspections__in=Inspection.objects.exclude(pk__in=reported.values("pk"))
    )
