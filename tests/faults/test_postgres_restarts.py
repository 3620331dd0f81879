"""Postgres restarts: a clear page while down, nothing half-saved, recovery without a restart."""

import threading

import pytest
from playwright.sync_api import expect

from tests.browsing import sign_in
from tests.faults.conftest import DEMO_PASSWORD, answer_fields, children, wait_until

pytestmark = pytest.mark.slow
A1 = ("A1.1", "A1.2", "A1.3", "A1.4", "A1.5", "A1.6")


def page_save(**values: tuple[str, int]) -> dict[str, str]:
    """Return what the A1 page's Save button posts without JavaScript: {code: (value, version)}."""
    fields = {"save": ""}
    for code, (value, version) in values.items():
        fields.update(answer_fields(code.replace("_", "."), value, version))
    return fields


def assert_unavailable_page(response) -> None:
    assert response.status == 503
    assert "Sorry, the service is unavailable" in response.text
    assert "Answers you have already saved are kept" in response.text
    assert "Try again in a few minutes" in response.text
    assert "govuk-template" in response.text and "Traceback" not in response.text
    assert response.headers["Retry-After"] == "120"


def test_while_postgres_is_down_pages_say_so_and_the_app_recovers_by_itself(make_app):
    app = make_app(redis=None)
    server = app.start_web()
    (web_process,) = children(server.pid)
    inspector = app.browser("inspector1")
    case = app.case_of("inspector1")
    assert inspector.get(f"/cases/{case}/A1/").status == 200
    saved = inspector.post(f"/cases/{case}/answers/A1.1/", answer_fields("A1.1", "yes"), htmx=True)
    assert saved.status == 200

    app.postgres.stop()
    page = inspector.get(f"/cases/{case}/A1/")
    autosave = inspector.post(
        f"/cases/{case}/answers/A1.2/", answer_fields("A1.2", "yes"), htmx=True
    )
    whole_page = inspector.post(
        f"/cases/{case}/A1/", page_save(A1_1=("yes", 1), A1_2=("no", 0), A1_3=("no", 0))
    )
    app.postgres.start()

    assert_unavailable_page(page)
    assert autosave.status == 503  # the case form says: "Not saved: the server had a problem"
    assert_unavailable_page(whole_page)
    assert app.answers(case) == {"A1.1": ("yes", 1)}  # kept; nothing of the failed saves
    assert inspector.get(f"/cases/{case}/A1/").status == 200  # same session, signed in
    again = inspector.post(f"/cases/{case}/answers/A1.2/", answer_fields("A1.2", "yes"), htmx=True)
    assert again.status == 200 and "Saved at" in again.text
    assert app.answers(case) == {"A1.1": ("yes", 1), "A1.2": ("yes", 1)}
    assert children(server.pid) == [web_process]  # recovered without a restart


def test_a_page_save_cut_off_by_a_postgres_stop_saves_none_of_its_answers(make_app):
    app = make_app(redis=None)
    app.start_web()
    inspector = app.browser("inspector1")
    case = app.case_of("inspector1")
    inspector.post(f"/cases/{case}/answers/A1.6/", answer_fields("A1.6", "no"), htmx=True)
    assert app.answers(case) == {"A1.6": ("no", 1)}
    # Hold A1.6's row so that the page save stops there, after writing A1.1 to A1.5.
    holder = app.postgres.connect()
    holder.autocommit = False
    holder.cursor().execute(
        "SELECT 1 FROM casereview_answer a JOIN casereview_review r ON r.id = a.review_id "
        "JOIN inspection_case c ON c.id = r.case_id WHERE c.public_id = %s FOR UPDATE OF a", (case,)
    )  # fmt: skip
    values = {code.replace(".", "_"): ("yes", 1 if code == "A1.6" else 0) for code in A1}
    responses = []
    saving = threading.Thread(
        target=lambda: responses.append(inspector.post(f"/cases/{case}/A1/", page_save(**values)))
    )
    saving.start()

    def waiting_after_writing():
        return app.postgres.sql(
            "SELECT backend_xid IS NOT NULL FROM pg_stat_activity "
            "WHERE datname = %s AND wait_event_type = 'Lock'", (app.postgres.url().rsplit("/")[-1],)
        )  # fmt: skip

    assert wait_until(waiting_after_writing, timeout=30, what="the page save to wait") == [(True,)]
    app.postgres.stop()  # cuts every connection: the page save's transaction is rolled back
    saving.join(timeout=30)
    app.postgres.start()

    assert_unavailable_page(responses[0])
    assert app.answers(case) == {"A1.6": ("no", 1)}  # none of A1.1 to A1.5, A1.6 unchanged
    assert inspector.post(f"/cases/{case}/A1/", page_save(**values)).status == 302
    assert app.answers(case) == {code: ("yes", 2 if code == "A1.6" else 1) for code in A1}


@pytest.mark.browser
def test_the_case_form_tells_the_inspector_an_answer_was_not_saved_while_postgres_is_down(
    make_app, page
):
    app = make_app(redis=None)
    app.start_web()
    case = app.case_of("inspector1")
    sign_in(page, f"http://127.0.0.1:{app.port}", "inspector1", DEMO_PASSWORD)
    page.goto(f"http://127.0.0.1:{app.port}/cases/{case}/A1/")

    app.postgres.stop()
    page.locator("#question-A1_1 input[value=yes]").check()

    status = page.locator("#A1_1-status")
    expect(status).to_contain_text("Not saved: the server had a problem. Press Save to try again.")
    app.postgres.start()
    page.locator("#question-A1_1 input[value=no]").check()
    expect(status).to_contain_text("Saved at")
    assert app.answers(case) == {"A1.1": ("no", 1)}
