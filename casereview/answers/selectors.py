"""Read a review's answers, their history and an overview of them."""

from dataclasses import dataclass

from casereview.answers.progress import ReviewState, review_state
from casereview.models import (
    Answer,
    Review,
)
from standards.selectors import framework_questions


def review_answers(*, review: Review) -> dict[str, Answer]:
    """Return the review's answers by question code, in one query (questions from the cache)."""
    version = review.case.inspection.framework_version
    questions = {q.pk: q for q in framework_questions(version=version)}
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


def review_overview(*, review: Review) -> ReviewOverview:
    """Return a review's questions, answers and state, in one query (questions from the cache)."""
    questions = framework_questions(version=review.case.inspection.framework_version)
    answers = review_answers(review=review)
    return ReviewOverview(questions, answers, review_state(questions, answers, review.case))
