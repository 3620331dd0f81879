"""Read a review's history and the reviews a person judged in."""

from django.db.models import QuerySet

from casereview.answers.values import display_value
from casereview.models import Review
from standards.selectors import framework_questions


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
