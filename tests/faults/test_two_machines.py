"""A web server and a worker on two machines: each with its own disk, one Postgres, one Redis.

The worker builds the PDF; the web server, which cannot read the worker's disk, serves it.
Report files live in Postgres by default, or in S3-compatible storage (here moto's server,
a local stand-in; never a real cloud).
"""

import subprocess
import sys
import threading
import time

import pytest

from tests.conftest import ROOT
from tests.faults.conftest import free_port, wait_until

pytestmark = pytest.mark.slow


def two_machines(app, **env):
    """Start the web server and a worker, each with a file area of its own."""
    web_disk, worker_disk = app.directory / "web-disk", app.directory / "worker-disk"
    app.start_web(MEDIA_ROOT=str(web_disk), **env)
    app.start_worker(MEDIA_ROOT=str(worker_disk), **env)
    return web_disk, worker_disk


def ask_eight_times_at_once(app, writer) -> list[int]:
    """Post the report request eight times at the same moment, as impatient clicks would."""
    path, start, statuses = f"/inspections/{app.inspection()}/report/", threading.Barrier(8), []

    def click():
        start.wait(timeout=30)
        statuses.append(writer.post(path, {"kind": "draft"}).status)

    clicks = [threading.Thread(target=click) for _ in range(8)]
    for thread in clicks:
        thread.start()
    for thread in clicks:
        thread.join(timeout=120)
    return statuses


def download(app, writer) -> tuple[bytes, dict]:
    (job,) = wait_until(lambda: [j for j in app.jobs() if j["status"] == "done"], timeout=180,
                        every=0.5, what=f"the report to be built\n{app.logs()}")  # fmt: skip
    response = writer.get(f"/reports/{job['public_id']}/download/")
    assert response.status == 200, response.status
    return response.body, job


def files_in(*disks) -> list[str]:
    return [str(p) for disk in disks if disk.exists() for p in disk.rglob("*") if p.is_file()]


def test_the_web_server_serves_a_pdf_the_worker_built_on_another_machine(make_app, redis):
    app = make_app(redis)
    disks = two_machines(app)
    writer = app.browser("writer")
    writer.get(f"/inspections/{app.inspection()}/report/")  # a CSRF cookie for every click

    statuses = ask_eight_times_at_once(app, writer)
    pdf, job = download(app, writer)

    assert statuses == [302] * 8
    assert len(app.jobs()) == 1  # eight clicks, one job
    assert pdf.startswith(b"%PDF-") and len(pdf) > 10_000
    assert app.report_files(job) == [f"reports/{job['public_id']}.pdf"]  # one PDF, in Postgres
    assert files_in(*disks) == []  # on neither machine's disk


@pytest.fixture
def object_store(tmp_path):
    """moto's S3 server on a free port, with an empty bucket; yield its settings."""
    boto3 = pytest.importorskip("boto3")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    settings = {
        "REPORT_STORAGE": "s3", "S3_BUCKET": "inspection-reports", "S3_REGION": "eu-west-2",
        "S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "AWS_ACCESS_KEY_ID": "test-key", "AWS_SECRET_ACCESS_KEY": "test-secret",
    }  # fmt: skip
    client = boto3.client(
        "s3", endpoint_url=settings["S3_ENDPOINT_URL"], region_name=settings["S3_REGION"],
        aws_access_key_id="test-key", aws_secret_access_key="test-secret",
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                client.create_bucket(
                    Bucket=settings["S3_BUCKET"],
                    CreateBucketConfiguration={"LocationConstraint": settings["S3_REGION"]},
                )
                break
            except Exception:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        yield settings, client
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_with_object_storage_the_pdf_is_kept_in_the_bucket(make_app, redis, object_store):
    settings, s3 = object_store
    app = make_app(redis)
    disks = two_machines(app, **settings)
    writer = app.browser("writer")

    assert writer.post(f"/inspections/{app.inspection()}/report/", {"kind": "draft"}).status == 302
    pdf, job = download(app, writer)

    listed = s3.list_objects_v2(Bucket=settings["S3_BUCKET"]).get("Contents", [])
    assert [item["Key"] for item in listed] == [f"reports/{job['public_id']}.pdf"]
    stored = s3.get_object(Bucket=settings["S3_BUCKET"], Key=listed[0]["Key"])["Body"].read()
    assert pdf == stored and pdf.startswith(b"%PDF-")
    assert app.report_files(job) == []  # not in Postgres
    assert files_in(*disks) == []
