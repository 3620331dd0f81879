"""Choosing cases for moderation happens once per submission: a double click draws once."""

import re
import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from casereview.models import Moderation
from tests.casereview.test_moderation import submitted_case


@pytest.fixture
def cases(inspection, inspector, other_inspector):
    return [submitted_case(inspection, who) for who in (inspector,) * 4 + (other_inspector,) * 4]


def choose(lead, inspection, **data):
    client = Client()
    client.force_login(lead)
    url = reverse("casereview:moderation_choose", args=[inspection.public_id])
    response = client.post(url, data)
    messages = [str(m) for m in response.wsgi_request._messages]
    return response, messages


def draw(lead, inspection, request_id):
    return choose(lead, inspection, sample="", per_inspector="1", request_id=request_id)


@pytest.mark.django_db(transaction=True)
def test_a_sample_drawn_by_a_double_click_is_drawn_once(cases, inspection, lead):
    request_id, start, results = str(uuid.uuid4()), threading.Barrier(2), []

    def click():
        try:
            start.wait(timeout=30)
            results.append(draw(lead, inspection, request_id))
        finally:
            connection.close()

    clicks = [threading.Thread(target=click) for _ in range(2)]
    for thread in clicks:
        thread.start()
    for thread in clicks:
        thread.join(timeout=60)

    assert Moderation.objects.count() == 2  # one case of each of the two inspectors
    assert [messages for _, messages in results] == [["2 cases chosen for moderation."]] * 2


def test_the_same_submission_sent_again_chooses_nothing_more(cases, inspection, lead):
    request_id = str(uuid.uuid4())
    draw(lead, inspection, request_id)
    first = set(Moderation.objects.values_list("pk", flat=True))

    response, messages = draw(lead, inspection, request_id)

    assert response.status_code == 302
    assert set(Moderation.objects.values_list("pk", flat=True)) == first
    assert messages == ["2 cases chosen for moderation."]


def test_a_new_submission_draws_again(cases, inspection, lead):
    draw(lead, inspection, str(uuid.uuid4()))
    draw(lead, inspection, str(uuid.uuid4()))

    assert Moderation.objects.count() == 4


def test_picked_cases_given_twice_by_one_submission_are_given_once(
    cases, inspection, lead, other_inspector
):
    data = {"cases": [str(cases[0].public_id)], "moderator": other_inspector.pk,
            "request_id": str(uuid.uuid4())}  # fmt: skip
    choose(lead, inspection, **data)

    response, messages = choose(lead, inspection, **data)

    assert Moderation.objects.get().case == cases[0]
    assert messages == ["1 case chosen for moderation."]  # not "moderated already"


def test_a_submission_without_its_id_is_refused_and_draws_nothing(cases, inspection, lead):
    response, messages = choose(lead, inspection, sample="", per_inspector="1")

    assert response.status_code == 302
    assert messages == ["The form has expired: choose the cases again"]
    assert not Moderation.objects.exists()


def test_each_form_on_the_page_carries_its_own_submission_id(client, cases, inspection, lead):
    client.force_login(lead)
    page = client.get(reverse("casereview:moderation", args=[inspection.public_id]))
    ids = re.findall(r'name="request_id" value="([0-9a-f-]{36})"', page.content.decode())

    assert len(ids) == 2 and ids[0] != ids[1]


def test_drawing_when_nothing_is_left_to_draw_says_so(cases, inspection, lead):
    draw(lead, inspection, str(uuid.uuid4()))
    for _ in range(3):
        draw(lead, inspection, str(uuid.uuid4()))

    response, messages = draw(lead, inspection, str(uuid.uuid4()))

    assert Moderation.objects.count() == 8
    assert messages == [
        "No case was chosen: every submitted case is moderated already, or none is submitted yet."
    ]


def test_the_random_draw_gives_cases_to_inspectors_before_leads(cases, inspection, lead):
    draw(lead, inspection, str(uuid.uuid4()))

    # Two inspectors moderate each other's cases; the lead, with no moderations yet, is not
    # chosen: a lead who moderates a case may not agree it.
    assert lead.pk not in set(Moderation.objects.values_list("moderator", flat=True))
