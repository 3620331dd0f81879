"""Decide which questions apply to a case, from the framework's conditions.

Conditions are data (the framework file's `applies_when`, in the one condition language
of standards.conditions). The server alone decides; forms only show the result.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from standards.conditions import CaseFacts, holds


def applicable(
    questions: Iterable, *, case: CaseFacts, answers: Mapping[str, Any]
) -> dict[str, bool]:
    """Return {code: applies} for `questions` (in framework order, with key_question and parent).

    An answer condition holds only when the question it refers to itself applies, so that
    a stale answer to a question that no longer applies hides what depended on it.
    """
    applies: dict[str, bool] = {}
    for question in questions:
        parent_applies = question.parent_id is None or applies.get(question.parent.code, False)
        applies[question.code] = parent_applies and all(
            holds(condition, answers=answers, case=case, applies=applies)
            for condition in (question.key_question.applies_when, question.applies_when)
        )
    return applies
