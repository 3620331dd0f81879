"""Access helper for report jobs: the job, or 404."""

from django.http import Http404

from inspection.permissions import Action, may_all
from reports.models import ReportJob


def report_job_for(user, action: Action, public_id) -> ReportJob:
    """Return the job `public_id` if `user` may take `action` on every inspection it covers.

    To anyone else it does not exist: a job covering an inspection they cannot report on
    is not theirs to open, even when they report on the others.
    """
    job = ReportJob.objects.filter(public_id=public_id).prefetch_related("inspections").first()
    if job is None or not may_all(user, action, job.inspections.all()):
        raise Http404("No such report")
    return job
