"""Nothing happens twice: requests at the same moment share a job, and one attempt builds it."""

import re
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reports import services, tasks
from reports.models import ReportJob, StoredFile
from reports.services import ReportJobBusy, report_job_run, report_jobs_requeue, report_request
from tests.reports.helpers import agreed_case


@pytest.fixture
def agreed(inspection, inspector, lead):
    return [agreed_case(inspection, inspector, lead, provider=p) for p in ("crc", "nps")]


def at_once(count, work):
    """Run `work(i)` in `count` threads, each with its own connection, released together."""
    start, results, errors = threading.Barrier(count), [None] * count, []

    def run(i):
        try:
            start.wait(timeout=30)
            results[i] = work(i)
        except Exception as error:  # the test looks at them
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


@pytest.mark.django_db(transaction=True)
def test_eight_requests_at_the_same_moment_make_one_job_and_one_pdf(agreed, inspection, writer):
    def ask(_):
        client = Client()
        client.force_login(writer)
        return client.post(reverse("reports:page", args=[inspection.public_id]), {"kind": "final"})

    responses = at_once(8, ask)

    assert [r.status_code for r in responses] == [302] * 8
    (job,) = ReportJob.objects.all()
    assert job.status == ReportJob.Status.DONE and job.attempts == 1
    assert StoredFile.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_requests_at_once_for_different_data_make_a_job_each(agreed, inspection, writer):
    jobs = at_once(
        2, lambda i: report_request(inspections=[inspection], final=bool(i), by=writer)[0].pk
    )

    assert len(set(jobs)) == 2


def running(job, *, heartbeat_ago, sent_ago=None):
    now = timezone.now()
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJob.Status.RUNNING, attempts=1, started_at=now - heartbeat_ago,
        heartbeat_at=now - heartbeat_ago,
        sent_at=now - (sent_ago if sent_ago is not None else heartbeat_ago + timedelta(seconds=1)),
    )  # fmt: skip


@pytest.fixture
def job(agreed, inspection, writer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():  # not sent: each test plays the workers
        job, _ = report_request(inspections=[inspection], final=True, by=writer)
    return job


def test_an_attempt_does_not_build_a_job_another_attempt_holds(job):
    running(job, heartbeat_ago=timedelta(seconds=5))

    with pytest.raises(ReportJobBusy) as busy:
        report_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.attempts, job.file.name) == (ReportJob.Status.RUNNING, 1, "")
    assert 50 < busy.value.retry_in <= 61  # look again once the holder's lease would end


def test_a_job_whose_holder_stopped_renewing_its_lease_is_taken_over(job):
    running(job, heartbeat_ago=services.LEASE + timedelta(seconds=1))

    report_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.attempts, job.lease) == (ReportJob.Status.DONE, 2, None)
    assert StoredFile.objects.count() == 1


def test_an_attempt_taken_over_meanwhile_records_nothing(job, monkeypatch):
    real_pdf = services.report_pdf

    def taken_over_while_laying_out(data):
        ReportJob.objects.filter(pk=job.pk).update(lease="00000000-0000-4000-8000-000000000000")
        return real_pdf(data)

    monkeypatch.setattr(services, "report_pdf", taken_over_while_laying_out)

    report_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ReportJob.Status.RUNNING and not job.file
    assert not StoredFile.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_build_renews_its_lease_while_it_works(agreed, inspection, writer, monkeypatch):
    monkeypatch.setattr(services, "HEARTBEAT", timedelta(seconds=0.1))
    monkeypatch.setattr(tasks.build_report, "delay", lambda job_id: None)  # the test builds
    job, _ = report_request(inspections=[inspection], final=True, by=writer)
    real_pdf, seen = services.report_pdf, {}

    def slow_pdf(data):
        started = ReportJob.objects.get(pk=job.pk).heartbeat_at
        threading.Event().wait(0.6)
        seen["renewed"] = ReportJob.objects.get(pk=job.pk).heartbeat_at > started
        return real_pdf(data)

    monkeypatch.setattr(services, "report_pdf", slow_pdf)

    report_job_run(job_id=job.pk)

    assert seen["renewed"]


def test_the_sweep_sends_a_dead_build_again_once_and_leaves_a_live_one(
    job, inspection, writer, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        live, _ = report_request(inspections=[inspection], final=False, by=writer)
    running(live, heartbeat_ago=timedelta(seconds=5))
    running(job, heartbeat_ago=services.LEASE + timedelta(seconds=5))
    sent = []
    monkeypatch.setattr(tasks.build_report, "delay", sent.append)

    first, second = report_jobs_requeue(), report_jobs_requeue()

    assert (first, second) == (1, 0)  # the poll every 2 s does not send it again and again
    assert sent == [job.pk]
    job.refresh_from_db()
    assert job.stage == "Being built again: the first attempt stopped"


def test_a_dead_builds_resend_lost_with_redis_is_sent_again_later(job, monkeypatch):
    running(job, heartbeat_ago=timedelta(minutes=20), sent_ago=timedelta(minutes=11))
    sent = []
    monkeypatch.setattr(tasks.build_report, "delay", sent.append)

    assert report_jobs_requeue() == 1
    assert sent == [job.pk]


def test_a_task_that_finds_the_job_held_looks_again_when_the_lease_would_end(job, monkeypatch):
    running(job, heartbeat_ago=timedelta(seconds=20))
    scheduled = []
    monkeypatch.setattr(tasks.build_report, "apply_async",
                        lambda args, countdown: scheduled.append((args, countdown)))  # fmt: skip

    assert tasks.build_report.apply(args=[job.pk]).get() == "busy"

    ((args, countdown),) = scheduled
    assert args == (job.pk,) and 35 < countdown <= 41
    job.refresh_from_db()
    assert job.attempts == 1


def test_asking_again_while_the_report_is_built_says_so_and_keeps_the_kind(
    client, job, inspection, writer, monkeypatch
):
    monkeypatch.setattr(tasks.build_report, "delay", lambda job_id: None)
    client.force_login(writer)
    url = reverse("reports:page", args=[inspection.public_id])

    final = client.post(url, {"kind": "final"}, follow=True)
    draft = client.post(url, {"kind": "draft"})

    assert "the report already asked for is being built" in final.content.decode()
    assert draft["Location"] == f"{url}?kind=draft"
    page = client.get(draft["Location"]).content.decode()
    checked = re.findall(r'<input[^>]*name="kind"[^>]*>', page)
    assert [tag for tag in checked if " checked" in tag] == [
        tag for tag in checked if 'value="draft"' in tag
    ]
