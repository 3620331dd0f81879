"""Two inspections with a case at every stage, built once per test module and rolled back.

Inspection A has seven kinds of visitor and three cases, all allocated to
inspector1: one returned with an open query, an approved practice example and
a moderation (moderator: the lead), one submitted with an open query, one
complete but not yet submitted; a narrative and a finished draft report (a
real PDF). Inspection B (the outsider's) has one submitted case with its own
example and narrative, every text marked BRAVO so that a leak is easy to see.

Building it takes seconds (the PDF most of all), so each module builds it once
inside a transaction that is rolled back at the module's end; pytest-django
runs each test in a savepoint inside it, so every test starts from this state.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings

from casereview.answers.examples import practice_example_decide
from casereview.answers.services import answer_save
from casereview.models import (
    Answer,
    AnswerChange,
    Moderation,
    ModerationJudgement,
    PracticeExample,
    Query,
    Review,
    ReviewEvent,
)
from casereview.moderation.services import moderation_assign
from casereview.queries.services import query_raise
from casereview.workflow.services import review_start, review_submit, review_transition
from inspection.models import Case, Inspection, Membership
from reports.models import ReportJob, ReportNarrative
from reports.services import narrative_save, report_job_run, report_request
from standards.services import bundled_framework_files, framework_load_file
from tests.casereview.helpers import complete
from tests.factories import CaseFactory, InspectionFactory, MembershipFactory, UserFactory

VISITORS = ("anonymous", "outsider", "other_inspector", "inspector", "lead", "writer", "admin")
A_REFS = ("ALPHA-RETURNED-01", "ALPHA-SUBMITTED-02", "ALPHA-DRAFT-03")
B_REF = "BRAVO-SECRET-09"
A_EXAMPLE, B_EXAMPLE = "ALPHA approved example wording", "BRAVO approved example wording"
A_SUMMARY, B_SUMMARY = "ALPHA narrative summary", "BRAVO narrative summary"


@dataclass
class World:
    framework: object
    inspection: Inspection
    other_inspection: Inspection
    outsider: object = None  # lead inspector of inspection B
    other_inspector: object = None  # of A, allocated none of its cases
    inspector: object = None  # of A, allocated every case of it
    lead: object = None
    writer: object = None
    admin: object = None  # a superuser, member of nothing
    returned: Case = None  # returned to its inspector, open query, example, moderation
    submitted: Case = None  # submitted, open query: the lead may return it
    draft: Case = None  # every answer given, not yet submitted
    other_case: Case = None  # inspection B's
    query: Query = None  # open, on the returned case's A1.1
    moderation: Moderation = None  # of the returned case, by the lead
    job: ReportJob = None  # A's draft report, built
    b_inspector: object = None

    def person(self, visitor: str):
        """Return the user of a visitor kind (None when anonymous)."""
        return None if visitor == "anonymous" else getattr(self, visitor)


def world_in_rollback(django_db_blocker, media_root):
    """Yield a World inside a transaction that is rolled back afterwards."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root),
        transaction.atomic(),
    ):
        yield build_world()
        transaction.set_rollback(True)


def build_world() -> World:
    (path,) = bundled_framework_files()
    framework = framework_load_file(path=path).version
    a = InspectionFactory(framework_version=framework, name="Alpha inspection", slug="alpha")
    b = InspectionFactory(framework_version=framework, name="Bravo inspection", slug="bravo")
    world = World(framework=framework, inspection=a, other_inspection=b)

    def member(inspection, username, role):
        user = UserFactory(username=username)
        MembershipFactory(inspection=inspection, user=user, role=role)
        return user

    world.outsider = member(b, "outsider", "lead")
    world.other_inspector = member(a, "inspector2", "inspector")
    world.inspector = member(a, "inspector1", "inspector")
    world.lead = member(a, "lead", "lead")
    world.writer = member(a, "writer", "writer")
    world.admin = get_user_model().objects.create_superuser("boss")
    inspector, lead = world.inspector, world.lead
    world.b_inspector = member(b, "bravo-inspector", "inspector")

    world.returned = _submitted_case(a, inspector, A_REFS[0], example="ALPHA example as given")
    review = world.returned.review
    practice_example_decide(answer=_answer(review, "A1S"), status="approved", text=A_EXAMPLE,
                            by=lead)  # fmt: skip
    world.query = query_raise(review=review, question=_question(framework, "A1.1"),
                              text="ALPHA query text", by=lead)  # fmt: skip
    review_transition(review=review, to_status="returned", by=lead)
    (world.moderation,) = moderation_assign(inspection=a, cases=[world.returned], moderator=lead,
                                            by=lead)  # fmt: skip

    world.submitted = _submitted_case(a, inspector, A_REFS[1])
    query_raise(review=world.submitted.review, question=_question(framework, "A2.1"),
                text="ALPHA second query", by=lead)  # fmt: skip

    world.draft = CaseFactory(inspection=a, allocated_to=inspector, case_ref=A_REFS[2])
    complete(review_start(case=world.draft), inspector, **{"A3.15": "no"})

    world.other_case = _submitted_case(b, world.b_inspector, B_REF, example="BRAVO as given")
    practice_example_decide(answer=_answer(world.other_case.review, "A1S"), status="approved",
                            text=B_EXAMPLE, by=world.outsider)  # fmt: skip
    narrative_save(inspection=b, by=world.outsider, summary=B_SUMMARY)

    narrative_save(inspection=a, by=world.writer, summary=A_SUMMARY)
    job, _ = report_request(inspections=[a], final=False, by=world.writer)
    world.job = report_job_run(job_id=job.pk)  # the worker's part, here and now
    return world


def _submitted_case(inspection, inspector, ref, example=""):
    case = CaseFactory(inspection=inspection, allocated_to=inspector, case_ref=ref)
    review = review_start(case=case)
    if example:
        answer_save(review=review, question=_question(inspection.framework_version, "A1S"),
                    by=inspector, expected_version=0, value="yes", reasons="Reasons given.",
                    practice="good", practice_text=example)  # fmt: skip
    complete(review, inspector, **{"A3.15": "no"})
    review_submit(review=review, by=inspector)
    case.refresh_from_db()
    return case


def _question(framework, code):
    return framework.questions.get(code=code)


def _answer(review: Review, code: str) -> Answer:
    return review.answers.get(question__code=code)


SNAPSHOT_MODELS = (
    Inspection, Membership, Case, Review, Answer, AnswerChange, ReviewEvent, Query,
    PracticeExample, Moderation, ModerationJudgement, ReportJob, ReportNarrative,
)  # fmt: skip


def snapshot() -> dict:
    """Return every row of every table an action could change (not sessions or the audit log)."""
    rows = {
        model.__name__: list(model.objects.order_by("pk").values()) for model in SNAPSHOT_MODELS
    }
    rows["ReportJob.inspections"] = list(
        ReportJob.inspections.through.objects.order_by("pk").values()
    )
    return rows


def changed_tables(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after[name]]


def body(response) -> str:
    """Return a response's content as text, streamed or not."""
    if response.streaming:
        content = b"".join(response.streaming_content)
        response.close()
    else:
        content = response.content
    return content.decode("utf-8", errors="replace")
