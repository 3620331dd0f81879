"""Report jobs: built once from the judgements, reused when nothing changed, safe to retry."""

import time

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from casereview.models import Review
from casereview.workflow.services import review_transition
from reports.models import ReportJob, StoredFile
from reports.pdf import BlockedFetch, refuse_every_url
from reports.services import (
    narrative_save,
    report_job_run,
    report_jobs_requeue,
    report_request,
)
from tests.reports.helpers import agreed_case, pdf_pages


@pytest.fixture
def ask(django_capture_on_commit_callbacks):
    """Ask for a report as a web request does: the job is queued when the transaction commits."""

    def ask(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            job, new = report_request(**kwargs)
        job.refresh_from_db()
        return job, new

    return ask


@pytest.fixture
def agreed(inspection, inspector, lead):
    return [agreed_case(inspection, inspector, lead, provider=p) for p in ("crc", "crc", "nps")]


def test_a_writer_asks_and_a_worker_builds_the_pdf(ask, agreed, inspection, writer):
    job, new = ask(inspections=[inspection], final=True, by=writer)

    job.refresh_from_db()
    assert new and job.status == ReportJob.Status.DONE and job.progress == 100
    pages = pdf_pages(job.file.read())
    text = "\n".join(pages)
    assert inspection.name in pages[0]
    assert "Final: agreed cases" in pages[1]
    assert "A1 Does assessment focus sufficiently on engaging the service user?" in text
    assert "Page 2 of" in pages[1]
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "All cases 3 100.0† 2 100.0† 1 100.0†" in lines  # every A1 judgement Yes


def test_asking_again_with_unchanged_data_returns_the_same_file(
    ask, agreed, inspection, writer, lead
):
    first, _ = ask(inspections=[inspection], final=True, by=writer)

    again, new = ask(inspections=[inspection], final=True, by=lead)

    assert (again, new) == (first, False)
    narrative_save(inspection=inspection, by=writer, summary="Strong assessment work.")
    changed, new = ask(inspections=[inspection], final=True, by=writer)
    assert new and changed != first
    assert "Strong assessment work." in "\n".join(pdf_pages(changed.file.read()))


def test_a_draft_says_so_on_every_page(ask, agreed, inspection, inspector, lead, writer):
    review = Review.objects.filter(case=agreed[0]).get()
    review_transition(review=review, to_status="submitted", by=lead, note="Recheck.")

    job, _ = ask(inspections=[inspection], final=False, by=writer)

    pages = pdf_pages(job.file.read())
    assert all("DRAFT: includes cases not yet agreed" in page for page in pages)


def test_building_twice_leaves_exactly_one_file(ask, agreed, inspection, writer):
    job, _ = ask(inspections=[inspection], final=True, by=writer)
    ReportJob.objects.filter(pk=job.pk).update(  # as if its builder died before recording it
        status=ReportJob.Status.RUNNING, heartbeat_at=timezone.now() - timezone.timedelta(hours=1)
    )

    report_job_run(job_id=job.pk)
    report_job_run(job_id=job.pk)

    assert list(StoredFile.objects.values_list("name", flat=True)) == [job.file.name]


def test_a_job_left_running_by_a_killed_worker_is_built_again(
    agreed, inspection, writer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        job, _ = report_request(inspections=[inspection], final=True, by=writer)
    assert len(callbacks) == 1  # queued after commit; not run here: the worker "dies"
    long_ago = timezone.now() - timezone.timedelta(hours=1)
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJob.Status.RUNNING, requested_at=long_ago, started_at=long_ago,
        heartbeat_at=long_ago, sent_at=long_ago,
    )  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        assert report_jobs_requeue() == 1

    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE and job.attempts == 1
    assert report_jobs_requeue() == 0


def test_a_failed_build_is_recorded_and_asking_again_builds_anew(ask, agreed, inspection, writer,
                                                                monkeypatch):  # fmt: skip
    def broken(data):
        raise RuntimeError("layout failed")

    monkeypatch.setattr("reports.services.report_pdf", broken)
    job, _ = ask(inspections=[inspection], final=True, by=writer)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED and "could not be built" in job.error
    assert "layout failed" not in job.error  # no internals (or case details) in the message
    monkeypatch.undo()

    again, new = ask(inspections=[inspection], final=True, by=writer)

    again.refresh_from_db()
    assert new and again.status == ReportJob.Status.DONE


def test_user_text_is_printed_as_text_and_fetches_nothing(ask, agreed, inspection, writer):
    hostile = '<img src="file:///etc/passwd"> <link rel=stylesheet href="http://127.0.0.1:9/x.css">'
    narrative_save(inspection=inspection, by=writer, summary=hostile)

    job, _ = ask(inspections=[inspection], final=True, by=writer)

    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    assert '<img src="file:///etc/passwd">' in "\n".join(pdf_pages(job.file.read()))
    with pytest.raises(BlockedFetch):
        refuse_every_url("file:///etc/passwd")


def test_only_report_writers_and_leads_ask_or_download(ask, client, agreed, inspection, writer,
                                                      inspector, outsider):  # fmt: skip
    with pytest.raises(PermissionDenied):
        report_request(inspections=[inspection], final=True, by=inspector)
    job, _ = ask(inspections=[inspection], final=True, by=writer)
    download = reverse("reports:download", args=[job.public_id])
    page = reverse("reports:page", args=[inspection.public_id])

    client.force_login(writer)
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(inspector)
    assert client.get(download).status_code == 404
    assert client.get(page).status_code == 403
    assert client.post(page, {"kind": "final"}).status_code == 403
    client.force_login(outsider)
    assert client.get(download).status_code == 404
    assert client.get(page).status_code == 404
    assert client.get(reverse("reports:job", args=[job.public_id])).status_code == 404


def test_the_report_page_asks_and_shows_progress(
    client, agreed, inspection, writer, django_capture_on_commit_callbacks
):
    client.force_login(writer)
    page = reverse("reports:page", args=[inspection.public_id])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(page, {"kind": "final"})
    shown = client.get(page).content.decode()

    job = ReportJob.objects.get()
    assert reverse("reports:download", args=[job.public_id]) in shown
    status = client.get(reverse("reports:job", args=[job.public_id])).content.decode()
    assert "Download the PDF" in status


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_real_celery_worker_on_redis_builds_the_report(agreed, inspection, writer,
                                                        celery_worker_process):  # fmt: skip
    from config.celery import app

    app.conf.task_always_eager = False
    try:
        job, _ = report_request(inspections=[inspection], final=True, by=writer)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.status in (ReportJob.Status.DONE, ReportJob.Status.FAILED):
                break
            time.sleep(0.5)
    finally:
        app.conf.task_always_eager = True
    assert job.status == ReportJob.Status.DONE, job.error
    assert "A1 Does assessment focus" in "\n".join(pdf_pages(job.file.read()))


def test_a_request_made_while_redis_is_down_is_built_once_it_is_back(
    agreed, inspection, writer, monkeypatch, django_capture_on_commit_callbacks
):
    from reports import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is not answering")

    monkeypatch.setattr(tasks.build_report, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = report_request(inspections=[inspection], final=True, by=writer)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.QUEUED  # kept in Postgres, not lost
    monkeypatch.undo()
    ReportJob.objects.filter(pk=job.pk).update(
        requested_at=timezone.now() - timezone.timedelta(hours=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert report_jobs_requeue() == 1

    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE


def test_a_report_kind_the_page_does_not_offer_is_refused_and_builds_nothing(
    client, inspection, writer
):
    client.force_login(writer)
    page = reverse("reports:page", args=[inspection.public_id])

    response = client.post(page, {"kind": "everything"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ReportJob.objects.exists()
