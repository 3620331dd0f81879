"""Celery tasks for reports: thin, they load the job and call the service."""

from celery import shared_task

from reports.services import ReportJobBusy, report_job_run, report_jobs_requeue


# The time limits end a build that hangs (the job is then retried or queued again);
# acks_late with reject_on_worker_lost (settings) redelivers a build whose worker died.
@shared_task(
    bind=True,
    acks_late=True,
    max_retries=3,
    default_retry_delay=15,
    soft_time_limit=300,
    time_limit=360,
)
def build_report(self, job_id: int) -> str:
    try:
        return report_job_run(job_id=job_id).status
    except ReportJobBusy as busy:
        # Another attempt holds the job (or held it, and died): look again once its lease
        # would have run out. Not a retry: it is not this attempt's failure.
        build_report.apply_async((job_id,), countdown=busy.retry_in)
        return "busy"
    except Exception as error:
        raise self.retry(exc=error) from error


@shared_task
def requeue_stuck_reports() -> int:
    return report_jobs_requeue()
