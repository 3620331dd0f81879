"""A worker dies mid-report: the job is built again, once, and leaves one file."""

import os
import signal
import time

import pytest
from django.core.files.base import ContentFile

from reports.models import StoredFile
from reports.services import report_job_run, report_request
from reports.storage import report_storage
from tests.faults.conftest import children, wait_until
from tests.reports.helpers import agreed_case

pytestmark = pytest.mark.slow


def ask_for_a_draft(app) -> None:
    writer = app.browser("writer")
    assert writer.post(f"/inspections/{app.inspection()}/report/", {"kind": "draft"}).status == 302


def job_in(app, status: str) -> dict | None:
    (job,) = app.jobs()
    return job if job["status"] == status else None


def test_a_report_whose_pool_process_is_killed_mid_build_is_built_again_once(make_app, redis):
    app = make_app(redis)
    app.start_web()
    worker = app.start_worker(beat=False)  # its only child is the pool process
    ask_for_a_draft(app)
    running = wait_until(lambda: job_in(app, "running"), timeout=90, every=0.05,
                         what=f"the build to start\n{app.logs()}")  # fmt: skip

    (pool_process,) = children(worker.pid)
    os.kill(pool_process, signal.SIGKILL)

    # The new pool process takes the message handed out again, finds the killed attempt's
    # lease still fresh, and looks again once it has run out (LEASE, 60 s).
    done = wait_until(lambda: job_in(app, "done"), timeout=180, every=0.5,
                      what=f"the build to finish\n{app.logs()}")  # fmt: skip
    assert running["progress"] < 100 and not running["file"]
    assert done["attempts"] == 2  # the killed attempt, then the one that finished
    assert len(app.report_files(done)) == 1
    assert worker.poll() is None  # the worker replaced its pool process and carried on


def test_a_report_whose_whole_worker_is_killed_is_built_once_soon_after_a_worker_is_back(
    make_app, redis
):
    app = make_app(redis)
    app.start_web()
    first = app.start_worker("first", beat=False)  # the broker's default visibility timeout
    ask_for_a_draft(app)
    wait_until(lambda: job_in(app, "running"), timeout=90, every=0.05,
               what=f"the build to start\n{app.logs()}")  # fmt: skip

    os.killpg(first.pid, signal.SIGKILL)  # the worker and its pool process, as a lost machine
    first.wait(timeout=10)
    back = time.monotonic()
    app.start_worker("second")  # with -B: its sweep finds the dead build once its lease ends

    done = wait_until(lambda: job_in(app, "done"), timeout=180, every=0.5,
                      what=f"the build to finish\n{app.logs()}")  # fmt: skip
    took = time.monotonic() - back
    assert took < 150, f"built {took:.0f} s after a worker was back"  # not the 600 s timeout
    assert done["attempts"] == 2  # the killed attempt, then one rebuild
    assert len(app.report_files(done)) == 1
    print(f"built {took:.0f} s after the second worker started")


def test_a_file_left_by_a_build_killed_before_recording_it_is_replaced_not_doubled(
    inspection, inspector, lead, writer, django_capture_on_commit_callbacks
):
    agreed_case(inspection, inspector, lead)
    with django_capture_on_commit_callbacks():  # not sent: the test runs the build
        job, _ = report_request(inspections=[inspection], final=True, by=writer)
    left = f"reports/{job.public_id}.pdf"
    report_storage().save(left, ContentFile(b"%PDF-1.7 cut short"))

    report_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.file.name == left
    assert list(StoredFile.objects.values_list("name", flat=True)) == [left]
    assert job.file.read() != b"%PDF-1.7 cut short"
