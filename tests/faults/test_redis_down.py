"""Redis stops: answers still save; report requests wait in Postgres, built once it is back."""

import signal
import time

import pytest

from tests.faults.conftest import answer_fields, wait_until

pytestmark = pytest.mark.slow


def test_while_redis_is_down_answers_save_and_a_report_waits_then_builds_once(make_app, redis):
    app = make_app(redis)
    app.start_web()
    app.start_worker()
    inspector, writer = app.browser("inspector1"), app.browser("writer")
    case, inspection = app.case_of("inspector1"), app.inspection()

    redis.stop()
    saved = inspector.post(f"/cases/{case}/answers/A1.1/", answer_fields("A1.1", "yes"), htmx=True)
    asked = writer.post(f"/inspections/{inspection}/report/", {"kind": "draft"})
    page = writer.get(f"/inspections/{inspection}/report/")

    assert saved.status == 200 and "Saved at" in saved.text
    assert app.answers(case) == {"A1.1": ("yes", 1)}
    assert asked.status == 302
    assert page.status == 200
    assert "The report is being built." in page.text
    assert "Waiting for the task queue" in page.text
    (job,) = app.jobs()
    assert (job["status"], job["sent_at"]) == ("queued", None)

    redis.start()  # empty, as a restarted Redis without persistence is
    started = time.monotonic()

    def built():  # the page polls the job's status while it waits, as htmx does
        status = writer.get(f"/reports/{job['public_id']}/", htmx=True)
        assert status.status == 200, status.text
        return "Download the PDF" in status.text

    wait_until(built, timeout=150, every=1, what=f"the report to be built\n{app.logs()}")
    assert time.monotonic() - started < 150  # not the 10 minutes a stuck job waits
    (job,) = app.jobs()
    assert (job["status"], job["attempts"], job["progress"]) == ("done", 1, 100)
    assert len(app.report_files(job)) == 1


def test_a_redis_that_stops_answering_holds_a_report_request_seconds_not_for_ever(make_app, redis):
    app = make_app(redis)
    app.start_web()
    writer = app.browser("writer")
    inspection = app.inspection()

    redis.process.send_signal(signal.SIGSTOP)  # connections open, nothing answers
    started = time.monotonic()
    asked = writer.post(f"/inspections/{inspection}/report/", {"kind": "draft"}, timeout=60)
    waited = time.monotonic() - started

    assert asked.status == 302
    assert waited < 20, f"the request waited {waited:.0f} s for Redis"
    (job,) = app.jobs()
    assert (job["status"], job["sent_at"]) == ("queued", None)
    redis.process.send_signal(signal.SIGCONT)
    writer.get(f"/reports/{job['public_id']}/", htmx=True)  # the page's poll sends it now
    (job,) = app.jobs()
    assert job["sent_at"] is not None
