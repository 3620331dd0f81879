"""Read reviews, scoped to the person asking."""

from dataclasses import dataclass

from django.db.models import QuerySet

from casereview.answers import display_value
from casereview.models import Answer, AnswerChange, Moderation, Query, Review
from casereview.progress import ReviewState, review_state
from inspection.permissions import Action, roles_for
from standards.selectors import framework_questions


def review_answers(review: Review) -> dict[str, Answer]:
    """Return the review's answers by question code, in one query (questions from the cache)."""
    questions = {q.pk: q for q in framework_questions(review.case.inspection.framework_version)}
    answers = {}
    for answer in review.answers.all():
        answer.question = questions[answer.question_id]
        answers[answer.question.code] = answer
    return answers


@dataclass(frozen=True)
class ReviewOverview:
    """A review's questions (framework order), its answers by code, and where it stands."""

    questions: list
    answers: dict[str, Answer]
    state: ReviewState


def review_overview(review: Review) -> ReviewOverview:
    """Return a review's questions, answers and state, in one query (questions from the cache)."""
    questions = framework_questions(review.case.inspection.framework_version)
    answers = review_answers(review)
    return ReviewOverview(questions, answers, review_state(questions, answers, review.case))


def answer_history(review: Review, question) -> list[AnswerChange]:
    return list(review.changes.filter(question=question).select_related("changed_by"))


def moderations_given_to(user):
    """Return the moderations given to `user` in the inspections where they still inspect."""
    return Moderation.objects.filter(
        moderator=user,
        case__inspection__memberships__user=user,
        case__inspection__memberships__role__in=roles_for(Action.MODERATE),
    )


def reviews_judged_by(user) -> QuerySet[Review]:
    """Return the reviews in which `user` gave or changed any judgement (Review.judged_by)."""
    return Review.objects.judged_by(user)


def review_history(review: Review) -> list[dict]:
    """Return every status change and answer change of `review`, oldest first."""
    entries = [
        {
            "at": e.at,
            "who": e.actor,
            "kind": "status",
            "what": f"{Review.Status(e.from_status).label} → {Review.Status(e.to_status).label}",
            "note": e.note,
        }
        for e in review.events.select_related("actor")
    ]
    questions = {q.pk: q for q in framework_questions(review.case.inspection.framework_version)}
    for change in review.changes.select_related("changed_by"):
        question = questions[change.question_id]
        entries.append(
            {
                "at": change.changed_at,
                "who": change.changed_by,
                "kind": "answer",
                "what": f"{question.code} {change.part.replace('_', ' ')}",
                "old": _shown(question, change.part, change.old),
                "new": _shown(question, change.part, change.new),
            }
        )
    return sorted(entries, key=lambda entry: entry["at"])


def _shown(question, part, value) -> str:
    if part == "value":
        return display_value(question, value)
    return value or "(empty)"


def open_queries(review: Review):
    return review.queries.exclude(status=Query.Status.CLOSED).select_related("raised_by")


def practice_examples(inspection, *, approved_only: bool = False) -> list[Answer]:
    """Return the flagged examples of the inspection's submitted cases, with any decision.

    With `approved_only`, only those approved on their current text: what reports may use.
    """
    answers = (
        Answer.objects.filter(
            review__case__inspection=inspection,
            review__status__in=["submitted", "returned", "agreed"],
        )
        .exclude(practice="")
        .exclude(practice_text="")
        .select_related("question__key_question", "review__case__allocated_to", "example")
        .order_by("question__position", "review__case__case_ref")
    )
    examples = list(answers)
    if approved_only:
        examples = [a for a in examples if _approved(a)]
    return examples


def _approved(answer: Answer) -> bool:
    example = getattr(answer, "example", None)
    return example is not None and example.status == "approved" and example.is_current
