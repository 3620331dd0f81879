"""Moderation: the sample, blind second reviews, and agreement against hand-computed values."""

import random
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from casereview.models import Moderation
from casereview.moderation.agreement import agreement, kappa
from casereview.moderation.selectors import moderation_key_questions
from casereview.moderation.services import moderation_assign, moderation_sample, moderation_save
from casereview.workflow.services import review_start, review_submit
from tests.casereview.helpers import complete
from tests.factories import CaseFactory

KEY_QUESTIONS = ["A1", "A2", "A3", "P1", "P2", "P3", "D1", "D2", "D3", "V3", "V4", "R1", "R2", "R3"]


def submitted_case(inspection, inspector, **judgements):
    case = CaseFactory(inspection=inspection, allocated_to=inspector)
    review = review_start(case=case)
    complete(review, inspector, **{"A3.15": "no", **{f"{k}S": v for k, v in judgements.items()}})
    review_submit(review=review, by=inspector)
    return case


def moderate(moderation, by, **judgements):
    values = {code: ("na" if code in ("V3", "V4") else "yes", "") for code in KEY_QUESTIONS}
    values.update({code: (value, "Reasons.") for code, value in judgements.items()})
    return moderation_save(moderation=moderation, judgements=values, by=by, submit=True)


def test_kappa_matches_hand_computed_values():
    # 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no: po = 0.7, pe = 0.5*0.6 + 0.5*0.4 = 0.5,
    # kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4
    pairs = [("yes", "yes")] * 20 + [("yes", "no")] * 5 + [("no", "yes")] * 10 + [("no", "no")] * 15
    assert kappa(pairs) == pytest.approx(0.4)
    # 3 yes/yes, 1 yes/no, 0 no/yes, 1 no/no: po = 0.8, pe = 0.8*0.6 + 0.2*0.4 = 0.56,
    # kappa = 0.24 / 0.44 = 0.545
    assert kappa([("yes", "yes")] * 3 + [("yes", "no"), ("no", "no")]) == pytest.approx(0.545)
    assert kappa([("yes", "yes"), ("no", "no")]) == pytest.approx(1.0)
    assert kappa([("yes", "yes")] * 4) is None  # not defined: one answer throughout
    assert kappa([]) is None


def test_agreement_per_key_question_and_inspector(inspection, inspector, other_inspector, lead):
    one = submitted_case(inspection, inspector, A1="yes", A2="no")
    two = submitted_case(inspection, inspector, A1="yes", A2="yes")
    three = submitted_case(inspection, other_inspector, A1="no", A2="yes")
    for case, moderator, judged in [
        (one, other_inspector, {"A1": "yes", "A2": "yes"}),
        (two, other_inspector, {"A1": "no", "A2": "yes"}),
        (three, inspector, {"A1": "no", "A2": "yes"}),
    ]:
        (moderation,) = moderation_assign(inspection=inspection, cases=[case],
                                          moderator=moderator, by=lead)  # fmt: skip
        moderate(moderation, moderator, **judged)

    tables = agreement(inspection)
    by_kq, by_inspector, disagreements = (
        tables.by_key_question,
        tables.by_inspector,
        tables.disagreements,
    )

    a1, a2 = by_kq[0], by_kq[1]
    # A1 pairs: (yes,yes) (yes,no) (no,no): 2 of 3 agree; po = 2/3, pe = 2/3*1/3 + 1/3*2/3 = 4/9,
    # kappa = (2/3 - 4/9) / (5/9) = 0.4
    assert (a1.label, a1.n, a1.agreed, a1.percent, a1.kappa) == ("A1", 3, 2, 66.7, 0.4)
    # A2 pairs: (no,yes) (yes,yes) (yes,yes): 2 of 3; every second answer Yes: kappa = 0
    assert (a2.n, a2.agreed, a2.kappa) == (3, 2, 0.0)
    inspectors = {row.label: (row.n, row.agreed) for row in by_inspector}
    # every other key question agrees (yes/yes; V3, V4 n/a on both sides)
    assert inspectors == {"inspector1": (24, 22), "inspector2": (12, 12)}
    assert {(d.case.case_ref, d.key_question, d.first, d.second) for d in disagreements} == {
        (one.case_ref, "A2", "no", "yes"), (two.case_ref, "A1", "yes", "no"),
    }  # fmt: skip


def test_a_random_sample_is_stratified_by_inspector(inspection, inspector, other_inspector, lead):
    for person in (inspector, other_inspector):
        for _ in range(3):
            submitted_case(inspection, person)
    CaseFactory(inspection=inspection, allocated_to=inspector)  # not submitted: never drawn

    chosen = moderation_sample(inspection=inspection, per_inspector=2, by=lead,
                               rng=random.Random(7))  # fmt: skip

    by_first = {}
    for moderation in chosen:
        assert moderation.moderator_id != moderation.case.allocated_to_id
        assert moderation.case.review.status == "submitted"
        by_first.setdefault(moderation.case.allocated_to.username, []).append(moderation)
    assert {name: len(items) for name, items in by_first.items()} == {
        "inspector1": 2, "inspector2": 2,
    }  # fmt: skip


def test_assignment_refuses_the_cases_own_inspector_and_unsubmitted_cases(
    inspection, inspector, other_inspector, lead, outsider
):
    case = submitted_case(inspection, inspector)
    open_case = CaseFactory(inspection=inspection, allocated_to=inspector)

    with pytest.raises(ValidationError, match="choose someone else"):
        moderation_assign(inspection=inspection, cases=[case], moderator=inspector, by=lead)
    with pytest.raises(ValidationError, match="not submitted"):
        moderation_assign(inspection=inspection, cases=[open_case], moderator=other_inspector,
                          by=lead)  # fmt: skip
    with pytest.raises(ValidationError, match="not an inspector"):
        moderation_assign(inspection=inspection, cases=[case], moderator=outsider, by=lead)
    with pytest.raises(PermissionDenied):
        moderation_assign(inspection=inspection, cases=[case], moderator=other_inspector,
                          by=inspector)  # fmt: skip
    assert not Moderation.objects.exists()


def test_a_moderation_is_submitted_only_complete_and_only_by_its_moderator(
    inspection, inspector, other_inspector, lead
):
    case = submitted_case(inspection, inspector)
    (moderation,) = moderation_assign(inspection=inspection, cases=[case],
                                      moderator=other_inspector, by=lead)  # fmt: skip

    with pytest.raises(ValidationError, match="every key question"):
        moderation_save(moderation=moderation, judgements={"A1": ("yes", "")},
                        by=other_inspector, submit=True)  # fmt: skip
    with pytest.raises(PermissionDenied):
        moderation_save(moderation=moderation, judgements={"A1": ("no", "")}, by=inspector)
    moderate(moderation, other_inspector)

    moderation.refresh_from_db()
    assert moderation.status == "submitted"
    assert len(moderation_key_questions(moderation=moderation)) == 14


def test_the_second_review_is_blind(client, inspection, inspector, other_inspector, lead):
    case = submitted_case(inspection, inspector)
    review = case.review
    review.answers.filter(question__code="A1S").update(reasons="A distinctive first reason.")
    (moderation,) = moderation_assign(inspection=inspection, cases=[case],
                                      moderator=other_inspector, by=lead)  # fmt: skip
    client.force_login(other_inspector)

    page = client.get(reverse("casereview:moderate", args=[moderation.public_id]))

    assert page.status_code == 200
    assert "A distinctive first reason." not in page.content.decode()
    assert client.get(reverse("casereview:lead", args=[case.public_id])).status_code == 404
    assert client.get(reverse("casereview:check", args=[case.public_id])).status_code == 404
    client.force_login(inspector)  # the first inspector cannot open the moderation
    assert (
        client.get(reverse("casereview:moderate", args=[moderation.public_id])).status_code == 404
    )


def test_the_lead_draws_a_sample_and_sees_agreement(client, inspection, inspector, other_inspector,
                                                   lead, outsider):  # fmt: skip
    submitted_case(inspection, inspector)
    client.force_login(lead)
    url = reverse("casereview:moderation", args=[inspection.public_id])

    client.post(reverse("casereview:moderation_choose", args=[inspection.public_id]),
                {"sample": "", "per_inspector": "1", "request_id": uuid.uuid4()})  # fmt: skip
    page = client.get(url).content.decode()

    assert Moderation.objects.get().moderator == other_inspector
    assert "Agreement by key question" in page and "other_inspector" not in page
    client.force_login(inspector)
    assert client.get(url).status_code == 403
    client.force_login(outsider)
    assert client.get(url).status_code == 404
