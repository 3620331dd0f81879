"""No case text in the application's logs: not in errors, not from workers, not as SQL."""

import io
import logging
import os

import pytest
from celery.app.trace import LOG_FAILURE
from django.db import IntegrityError, connection
from django.test import Client
from django.urls import reverse

from casereview.models import Answer
from tests.conftest import run_manage

CASE_TEXT = "Child protection plan for Marisol, partner convicted of assault"


@pytest.fixture
def log_output():
    """Return the text written by the application's log handler while the test runs."""
    (handler,) = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_a_server_error_logs_where_it_happened_but_not_the_data_in_its_message(
    case, log_output, monkeypatch
):
    def refuse(**kwargs):  # as Postgres does: its DETAIL repeats the refused value
        raise IntegrityError(f'duplicate key value\nDETAIL:  Key (reasons)=("{CASE_TEXT}")')

    monkeypatch.setattr("casereview.page_saves.answer_save", refuse)
    client = Client(raise_request_exception=False)
    client.force_login(case.allocated_to)
    url = reverse("casereview:autosave", args=[case.public_id, "A1S"])

    data = {"A1S-value": "no", "A1S-version": 0, "A1S-reasons": CASE_TEXT}
    response = client.post(url, data, HTTP_HX_REQUEST="1")

    assert response.status_code == 500
    written = log_output.getvalue()
    assert "Internal Server Error" in written
    assert "django.db.utils.IntegrityError: (message withheld" in written
    assert "answer_autosave" in written  # the traceback still says where
    assert CASE_TEXT not in written


def test_a_failed_task_logs_the_exception_type_only(log_output):
    try:
        raise ValueError(f"could not lay out {CASE_TEXT}")
    except ValueError as error:
        context = {"name": "reports.tasks.build_report", "id": "1", "exc": repr(error),
                   "description": "raised unexpected"}  # fmt: skip
        logging.getLogger("celery.app.trace").error(LOG_FAILURE, context, exc_info=True)

    written = log_output.getvalue()
    assert "build_report[1] raised unexpected: ValueError (message withheld" in written
    assert CASE_TEXT not in written


def test_sql_and_its_parameters_are_never_logged_even_at_debug(case, log_output):
    loggers = [logging.getLogger(), logging.getLogger("django")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:  # LOG_LEVEL=DEBUG, and Django's own loggers turned up too
        logger.setLevel(logging.DEBUG)
    connection.force_debug_cursor = True  # DEBUG=1: Django logs every query
    try:
        client = Client()
        client.force_login(case.allocated_to)
        url = reverse("casereview:autosave", args=[case.public_id, "A1S"])
        data = {"A1S-value": "no", "A1S-version": 0, "A1S-reasons": CASE_TEXT}
        assert client.post(url, data, HTTP_HX_REQUEST="1").status_code == 200
    finally:
        connection.force_debug_cursor = False
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)

    assert Answer.objects.get(question__code="A1S").reasons == CASE_TEXT
    assert CASE_TEXT not in log_output.getvalue()


@pytest.mark.slow
def test_with_debug_on_djangos_own_console_handler_prints_no_exception_message():
    # Django adds a console handler of its own to the "django" logger when DEBUG is on;
    # it has no filter, so it would print what the application's handler withholds.
    script = (
        "import logging\n"
        "try:\n"
        f"    raise ValueError({CASE_TEXT!r})\n"
        "except ValueError:\n"
        "    logging.getLogger('django.request').error('Internal Server Error', exc_info=True)\n"
    )
    result = run_manage(
        "shell", "-v", "0", "-c", script, DEBUG="1", DATABASE_URL=os.environ["DATABASE_URL"]
    )

    assert result.returncode == 0, result.stderr
    assert "ValueError: (message withheld" in result.stderr
    assert result.stderr.count("Internal Server Error") == 1  # printed once, by our handler
    assert CASE_TEXT not in result.stdout + result.stderr
