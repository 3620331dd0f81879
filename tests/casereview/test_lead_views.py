"""The lead inspector's pages: the dashboard and its figures, case review, queries, decisions."""

import pytest
from django.urls import reverse

from casereview.dashboard.selectors import figures, grid
from casereview.models import Answer, Query, Review
from casereview.workflow.services import review_start, review_submit, review_transition
from tests.casereview.helpers import complete
from tests.factories import CaseFactory, MembershipFactory, UserFactory


def dashboard_url(inspection):
    return reverse("casereview:dashboard", args=[inspection.public_id])


def judged_case(inspection, inspector, judgements: dict[str, str], *, status="submitted", by=None):
    """Return a case whose review is complete, with these summary judgements, in `status`."""
    case = CaseFactory(inspection=inspection, allocated_to=inspector)
    review = review_start(case=case)
    answers = {"A3.15": "no", **{f"{code}S": value for code, value in judgements.items()}}
    complete(review, inspector, **answers)  # no statutory victim contact: V3 and V4 do not apply
    review_submit(review=review, by=inspector)
    if status == "agreed":
        review_transition(review=review, to_status=Review.Status.AGREED, by=by)
    return case


def test_the_figures_match_the_judgements_beneath_them(inspection, inspector, lead):
    # A1: agreed yes, yes, no; submitted (not agreed) no -> 66.7% agreed, 50.0% of all submitted.
    judged_case(inspection, inspector, {"A1": "yes"}, status="agreed", by=lead)
    judged_case(inspection, inspector, {"A1": "yes"}, status="agreed", by=lead)
    judged_case(inspection, inspector, {"A1": "no"}, status="agreed", by=lead)
    judged_case(inspection, inspector, {"A1": "no"})
    CaseFactory(inspection=inspection, allocated_to=inspector)  # not started: counts nowhere

    a1 = next(f for f in figures(inspection=inspection) if f.key_question.code == "A1")

    assert (a1.agreed_yes, a1.agreed_n, a1.agreed_percent) == (2, 3, 66.7)
    assert (a1.submitted_yes, a1.submitted_n, a1.submitted_percent) == (2, 4, 50.0)
    assert (a1.agreed_band, a1.submitted_band) == ("Good", "Requires improvement")
    v3 = next(f for f in figures(inspection=inspection) if f.key_question.code == "V3")
    assert (v3.submitted_n, v3.submitted_band) == (0, "")


def test_the_grid_shows_each_case_against_each_key_question(inspection, inspector, lead):
    case = judged_case(inspection, inspector, {"A1": "no", "R3": "yes"})
    untouched = CaseFactory(inspection=inspection, allocated_to=inspector)

    key_questions, rows = grid(inspection=inspection, cases=inspection.cases.all())

    codes = [kq.code for kq in key_questions]
    by_case = {row.case: dict(zip(codes, row.cells, strict=True)) for row in rows}
    assert by_case[case]["A1"] == "no" and by_case[case]["R3"] == "yes"
    assert by_case[case]["V3"] == "na"  # no victim contact in this community case
    assert set(by_case[untouched].values()) == {""}


def test_the_lead_sees_the_dashboard_and_filters_it(client, inspection, inspector, lead,
                                                   other_inspector):  # fmt: skip
    mine = judged_case(inspection, inspector, {})
    theirs = CaseFactory(inspection=inspection, allocated_to=other_inspector)
    client.force_login(lead)

    everything = client.get(dashboard_url(inspection)).content.decode()
    filtered = client.get(dashboard_url(inspection), {"inspector": "inspector2"}).content.decode()
    submitted = client.get(dashboard_url(inspection), {"status": "submitted"}).content.decode()

    assert mine.case_ref in everything and theirs.case_ref in everything
    assert f"Case <bdi>{mine.case_ref}</bdi> was submitted by inspector1" in everything
    assert mine.case_ref not in filtered and theirs.case_ref in filtered
    assert mine.case_ref in submitted and theirs.case_ref not in submitted


@pytest.mark.parametrize("person", ["inspector", "writer"])
def test_only_leads_see_the_dashboard_and_case_review(client, inspection, case, person, request):
    client.force_login(request.getfixturevalue(person))

    assert client.get(dashboard_url(inspection)).status_code == 403
    assert client.get(reverse("casereview:lead", args=[case.public_id])).status_code == 404


def test_a_lead_of_another_inspection_sees_nothing_of_this_one(client, inspection, case, outsider):
    client.force_login(outsider)

    assert client.get(dashboard_url(inspection)).status_code == 404
    assert client.get(reverse("casereview:lead", args=[case.public_id])).status_code == 404
    response = client.post(reverse("casereview:move", args=[case.public_id]), {"to": "agreed"})
    assert response.status_code == 404


def test_the_lead_queries_returns_and_the_inspector_replies(client, inspection, inspector, lead):
    case = judged_case(inspection, inspector, {})
    client.force_login(lead)

    client.post(reverse("casereview:raise_query", args=[case.public_id]),
                {"question": "A2S", "text": "Is <b>this</b> right?"})  # fmt: skip
    client.post(reverse("casereview:move", args=[case.public_id]), {"to": "returned"})
    query = Query.objects.get()
    assert (query.question.code, case.review.__class__.objects.get().status) == ("A2S", "returned")
    dashboard = client.get(dashboard_url(inspection)).content.decode()
    assert f"Case <bdi>{case.case_ref}</bdi>: 1 open query waiting for inspector1" in dashboard

    client.force_login(inspector)
    mine = client.get(reverse("home")).content.decode()
    check = client.get(reverse("casereview:check", args=[case.public_id])).content.decode()
    client.post(reverse("casereview:reply", args=[case.public_id, query.public_id]),
                {"text": "Yes: see the reasons."})  # fmt: skip

    assert f"Case <bdi>{case.case_ref}</bdi> was returned to you with 1 open query" in mine
    assert "Is &lt;b&gt;this&lt;/b&gt; right?" in check
    query.refresh_from_db()
    assert query.status == Query.Status.ANSWERED


def test_the_lead_closes_queries_and_agrees_which_locks_the_case(client, inspection, inspector,
                                                                 lead):  # fmt: skip
    case = judged_case(inspection, inspector, {})
    client.force_login(lead)
    client.post(reverse("casereview:raise_query", args=[case.public_id]),
                {"question": "A1.1", "text": "Check."})  # fmt: skip
    query = Query.objects.get()

    refused = client.post(reverse("casereview:move", args=[case.public_id]), {"to": "agreed"},
                          follow=True)  # fmt: skip
    client.post(reverse("casereview:close_query", args=[case.public_id, query.public_id]))
    client.post(reverse("casereview:move", args=[case.public_id]), {"to": "agreed"})

    assert "Close every query before agreeing" in refused.content.decode()
    review = Review.objects.get()
    assert review.status == Review.Status.AGREED
    page = client.get(reverse("casereview:lead", args=[case.public_id])).content.decode()
    assert "Unlock" in page and "Submitted → Agreed" in page


def test_the_case_history_lists_changed_answers_with_old_and_new(client, inspection, inspector,
                                                                 lead):  # fmt: skip
    case = judged_case(inspection, inspector, {})
    review = Review.objects.get()
    review_transition(review=review, to_status="agreed", by=lead)
    review_transition(review=review, to_status="submitted", by=lead, note="Recheck A1.1.")
    # (the inspector cannot change a submitted case; the history shows every earlier change)
    client.force_login(lead)

    page = client.get(reverse("casereview:lead", args=[case.public_id])).content.decode()

    assert "Agreed → Submitted: Recheck A1.1." in page
    assert "A1.1 value" in page and "Not answered" in page


def test_an_inspector_cannot_agree_or_unlock_through_the_lead_pages(client, inspection, inspector,
                                                                    lead):  # fmt: skip
    case = judged_case(inspection, inspector, {})
    client.force_login(inspector)

    assert client.post(reverse("casereview:move", args=[case.public_id]),
                       {"to": "agreed"}).status_code == 404  # fmt: skip
    assert Review.objects.get().status == Review.Status.SUBMITTED


def test_a_member_made_lead_of_the_inspection_may_review(client, inspection, inspector):
    case = judged_case(inspection, inspector, {})
    second_lead = UserFactory(username="lead2")
    MembershipFactory(inspection=inspection, user=second_lead, role="lead")
    client.force_login(second_lead)

    page = client.get(reverse("casereview:lead", args=[case.public_id]))

    assert page.status_code == 200
    assert 'name="A1_1-value"' not in page.content.decode()  # read-only: answers, no inputs
    assert Answer.objects.get(question__code="A1.1").value == "yes"


def test_flags_show_before_submitting_and_on_the_dashboard_without_blocking(
    client, inspection, inspector, lead
):
    case = CaseFactory(inspection=inspection, allocated_to=inspector)
    review = review_start(case=case)
    complete(review, inspector, **{"A3.15": "no", "A3.5": "yes", "A3.9": "low", "A3.8": "low"})
    client.force_login(inspector)

    check = client.get(reverse("casereview:check", args=[case.public_id])).content.decode()
    submitted = client.post(reverse("casereview:submit", args=[case.public_id]))
    client.force_login(lead)
    flagged = client.get(dashboard_url(inspection), {"flagged": "1"}).content.decode()
    clean = CaseFactory(inspection=inspection, allocated_to=inspector)
    unflagged = client.get(dashboard_url(inspection), {"flagged": "1"}).content.decode()

    assert "should not be assessed as Low risk of serious harm" in check
    assert submitted.status_code == 302 and Review.objects.get(case=case).status == "submitted"
    assert case.case_ref in flagged and "A3" in flagged
    assert clean.case_ref not in unflagged


def test_opening_a_case_not_started_shows_it_and_creates_no_review(client, case, lead):
    client.force_login(lead)

    page = client.get(reverse("casereview:lead", args=[case.public_id]))

    assert page.status_code == 200
    assert "not started" in page.content.decode() and "inspector1" in page.content.decode()
    assert not Review.objects.filter(case=case).exists()
    url = reverse("casereview:raise_query", args=[case.public_id])
    query = client.post(url, {"question": "A1.1", "text": "Why?"})
    assert query.status_code == 404
    assert not Review.objects.filter(case=case).exists()


def test_the_dashboard_filters_are_a_get_form_without_a_csrf_token_and_keep_their_choices(
    client, inspection, inspector, lead
):
    mine = CaseFactory(inspection=inspection, allocated_to=inspector, provider="nps")
    other = CaseFactory(inspection=inspection, allocated_to=inspector, provider="crc")
    client.force_login(lead)

    page = client.get(dashboard_url(inspection), {"provider": "nps"}).content.decode()
    form = page[page.index('<form method="get" class="app-filters"') :]
    form = form[: form.index("</form>")]

    assert "csrfmiddlewaretoken" not in form
    assert '<option value="nps" selected>' in form
    assert mine.case_ref in page and other.case_ref not in page
