"""The demo inspection: about 60 realistic cases, two inspectors, reviews at every stage.

Characteristics follow the inspectorate's bulletins (about 63% CRC, 15% female,
47% post-custody, 17% high or very high RoSH). Everything is drawn from a fixed
seed, so every demo is the same.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from casereview.answers.progress import review_state
from casereview.models import Answer, AnswerChange, Review
from casereview.workflow.services import review_start, review_submit
from inspection.models import Inspection, Membership
from inspection.services import case_save, cases_allocate, inspection_create, membership_set
from standards.models import AnswerType, FrameworkVersion, Question
from standards.selectors import framework_questions

DEMO_SLUG = "demo-durham"
PEOPLE = [
    ("admin", "", "Ada", "Admin"),
    ("lead", Membership.Role.LEAD, "Lena", "Lead"),
    ("inspector1", Membership.Role.INSPECTOR, "Ian", "Inspector"),
    ("inspector2", Membership.Role.INSPECTOR, "Isla", "Inspector"),
    ("writer", Membership.Role.WRITER, "Wren", "Writer"),
]
CASES = 60
SUBMITTED_EACH, IN_PROGRESS_EACH = 6, 8


@dataclass(frozen=True)
class DemoResult:
    inspection: Inspection
    created: bool


@transaction.atomic
def demo_seed(*, password: str) -> DemoResult:
    """Create the demo people (with `password`) and, once, the demo inspection."""
    users = {
        username: _person(username, first, last, password, is_admin=not role)
        for username, role, first, last in PEOPLE
    }
    existing = Inspection.objects.filter(slug=DEMO_SLUG).first()
    if existing:
        return DemoResult(existing, False)
    framework = FrameworkVersion.objects.filter(status="published").order_by("-loaded_at").first()
    if framework is None:
        raise RuntimeError("Load the framework first: python manage.py load_framework")
    today = timezone.localdate()
    inspection = inspection_create(
        name="Durham demo inspection",
        slug=DEMO_SLUG,
        area="Durham",
        framework_version=framework,
        providers=[("crc", "Durham Tees Valley CRC"), ("nps", "NPS North East")],
        fieldwork_start=today - timedelta(days=7),
        fieldwork_end=today + timedelta(days=21),
        status=Inspection.Status.FIELDWORK,
    )
    for username, role, *_ in PEOPLE:
        if role:
            membership_set(inspection=inspection, user=users[username], role=role)
    rng = random.Random(2018)  # noqa: S311 - a reproducible demo, not a secret
    cases = [case_save(inspection=inspection, **values) for values in _cases(rng, today)]
    inspectors = [users["inspector1"], users["inspector2"]]
    for index, inspector in enumerate(inspectors):
        mine = cases[index::2]
        cases_allocate(inspection=inspection, cases=mine, inspector=inspector)
        questions = framework_questions(version=framework)
        for number, case in enumerate(mine[: SUBMITTED_EACH + IN_PROGRESS_EACH]):
            case.allocated_to = inspector
            complete = number < SUBMITTED_EACH
            _review(case, questions, inspector, rng, complete=complete)
    return DemoResult(inspection, True)


def _person(username, first, last, password, *, is_admin):
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.first_name, user.last_name = first, last
    user.is_staff = user.is_superuser = is_admin
    user.set_password(password)
    user.save()
    return user


def _spread(rng, count, share) -> list[bool]:
    """Return `count` flags of which round(share * count) are set, shuffled."""
    flags = [i < round(share * count) for i in range(count)]
    rng.shuffle(flags)
    return flags


def _cases(rng, today) -> list[dict]:
    """Return the values of each demo case's sample fields."""
    crc = _spread(rng, CASES, 0.63)
    female = _spread(rng, CASES, 0.15)
    custody = _spread(rng, CASES, 0.47)
    # High and very high RoSH cases are the NPS's to manage: draw them among its cases.
    nps_cases = [i for i in range(CASES) if not crc[i]]
    high_rosh = set(rng.sample(nps_cases, k=round(0.17 * CASES)))
    ethnicities = rng.choices(
        ["white", "black", "asian", "mixed", "other"], weights=[84, 5, 6, 3, 2], k=CASES
    )
    ldus = ["Durham North", "Durham South", "Darlington", "Hartlepool"]
    cases = []
    for i in range(CASES):
        age = max(18, min(75, int(rng.gauss(33, 10))))
        start = today - timedelta(days=rng.randint(180, 230))  # six to seven months ago
        born = start - timedelta(days=age * 365 + rng.randint(10, 350))
        high = i in high_rosh
        rosh = rng.choice(["high", "very_high"] if high else ["low", "medium", "medium"])
        cases.append(
            dict(
                case_ref=f"DUR-{i + 1:03d}",
                provider="crc" if crc[i] else "nps",
                gender="female" if female[i] else "male",
                date_of_birth=born,
                age=start.year - born.year - ((start.month, start.day) < (born.month, born.day)),
                ethnicity=ethnicities[i],
                supervision="post_custody" if custody[i] else "community",
                sentence_date=start - timedelta(days=rng.randint(200, 900) if custody[i] else 0),
                release_date=start if custody[i] else None,
                ogrs=min(99, max(1, int(rng.gauss(55, 20)))),
                rosh=rosh,
                mappa=bool(high and rng.random() < 0.6),
                ldu=rng.choice(ldus),
            )
        )
    return cases


def _review(case, questions, inspector, rng, *, complete: bool) -> Review:
    """Answer a case as an inspector would: all of it, or the first standards of it."""
    review = review_start(case=case)
    quality = rng.random()  # how good the practice in this case is
    answers: dict[str, Answer] = {}
    stop_at = None if complete else rng.choice(["A", "P", "D"])
    for _ in range(4):  # answers open further questions
        applies = review_state(questions, answers, case).applies
        for question in questions:
            section = question.key_question.section.code
            if stop_at and "IAPDVR".index(section) > "IAPDVR".index(stop_at):
                break
            if not applies[question.code] or question.code in answers:
                continue
            answers[question.code] = _answer(review, question, inspector, rng, quality, case)
    Answer.objects.bulk_create(answers.values())
    AnswerChange.objects.bulk_create(
        AnswerChange(
            review=review,
            question=a.question,
            part="value",
            old=None,
            new=a.value,
            changed_by=inspector,
        )
        for a in answers.values()
    )
    by_section = review_state(questions, answers, case).by_section
    review.progress, review.started_at = by_section, timezone.now()
    review.save()
    if complete:
        review_submit(review=review, by=inspector)
    return review


def _answer(review, question, inspector, rng, quality, case) -> Answer:
    kind = question.answer_type
    good = rng.random() < 0.45 + 0.5 * quality
    value: object
    if question.code in ("A3.5", "A3.6"):
        value = "yes" if case.rosh in ("high", "very_high") and rng.random() < 0.6 else "no"
    elif question.code in ("A3.8", "A3.9"):
        value = case.rosh or "medium"
    elif question.code == "A3.13":
        value = "category_2" if case.mappa else "not_mappa"
    elif question.code in ("A3.15", "A3.16", "A3.17"):
        value = "yes" if case.mappa and case.supervision == "post_custody" else "no"
    elif kind in (AnswerType.YES_NO, AnswerType.YES_NO_NA):
        value = (
            "yes"
            if good
            else ("na" if kind == AnswerType.YES_NO_NA and rng.random() < 0.3 else "no")
        )
    elif kind == AnswerType.SINGLE_CHOICE:
        value = rng.choice(question.choices)["value"]
    elif kind == AnswerType.MULTIPLE_CHOICE:
        options = [c["value"] for c in question.choices if c["value"] != question.exclusive_choice]
        chosen = set(rng.sample(options, k=rng.randint(1, min(3, len(options)))))
        value = [v for v in options if v in chosen]
    elif kind == AnswerType.NUMBER:
        low, high = int(question.number_min or 0), int(min(question.number_max or 50, 60))
        value = str(rng.randint(max(low, 1), max(high, 1)))
    else:
        value = rng.choice(["Durham North", "Team 3", "See case record."])
    answer = Answer(review=review, question=question, value=value, version=1, updated_by=inspector)
    if question.kind == Question.Kind.SUMMARY:
        answer.value = "yes" if good else "no"
        answer.reasons = (
            "The work met the needs of the case in most respects."
            if good
            else "Important factors were not taken into account in time."
        )
        if rng.random() < 0.08:
            answer.practice = "good" if good else "poor"
            answer.practice_text = (
                "The responsible officer worked closely with the service user's family."
                if good
                else "Risk to a known child was not followed up with children's services."
            )
    return answer
