"""Read reviews, scoped to the person asking."""

from casereview.models import Answer, AnswerChange, Review
from casereview.progress import review_state
from inspection.models import Case
from standards.selectors import framework_questions


def case_for_inspector(user, public_id) -> Case | None:
    """Return the case with `public_id` if it is allocated to `user`, else None."""
    return (
        Case.objects.filter(public_id=public_id, allocated_to=user)
        .select_related("inspection__framework_version")
        .first()
    )


def review_answers(review: Review) -> dict[str, Answer]:
    """Return the review's answers by question code, in one query (questions from the cache)."""
    questions = {q.pk: q for q in framework_questions(review.case.inspection.framework_version)}
    answers = {}
    for answer in review.answers.all():
        answer.question = questions[answer.question_id]
        answers[answer.question.code] = answer
    return answers


def review_overview(review: Review):
    """Return (questions, answers, applies, missing, by_section, by_key_question) for a review."""
    questions = framework_questions(review.case.inspection.framework_version)
    answers = review_answers(review)
    applies, missing, by_section, by_key_question = review_state(questions, answers, review.case)
    return questions, answers, applies, missing, by_section, by_key_question


def answer_history(review: Review, question) -> list[AnswerChange]:
    return list(review.changes.filter(question=question).select_related("changed_by"))
