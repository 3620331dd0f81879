"""Decide which questions apply to a case, from the framework's conditions.

Conditions are data (see the framework file's `applies_when`): a case
characteristic, an earlier answer, or all/any of several. The server alone
decides; forms only show the result.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

CASE_VALUE_LABELS = {
    ("supervision", "community"): "community sentences only",
    ("supervision", "post_custody"): "post-custody cases only",
    ("provider", "crc"): "CRC cases only",
    ("provider", "nps"): "NPS cases only",
}
ANSWER_LABELS = {"yes": "Yes", "no": "No", "na": "Not applicable"}


@dataclass(frozen=True)
class CaseFacts:
    """The characteristics of a case that conditions may test; None where not recorded."""

    supervision: str | None = None
    provider: str | None = None


def condition_holds(
    condition: Mapping | None,
    *,
    case: CaseFacts,
    answers: Mapping[str, Any],
    applies: Mapping[str, bool],
) -> bool:
    """Return whether `condition` holds for `case` given the answers so far.

    A characteristic that is not recorded does not hide a question: better to
    ask than to lose an answer. An answer condition holds only when the question
    it refers to itself applies and its answer matches, so that a stale answer
    to a question that no longer applies hides what depended on it.
    """
    if not condition:
        return True
    if "all" in condition:
        return all(
            condition_holds(c, case=case, answers=answers, applies=applies)
            for c in condition["all"]
        )
    if "any" in condition:
        return any(
            condition_holds(c, case=case, answers=answers, applies=applies)
            for c in condition["any"]
        )
    if "case" in condition:
        fact = getattr(case, condition["case"])
        return fact is None or fact == condition["is"]
    code = condition["answer"]
    if not applies.get(code, False):
        return False
    answer = answers.get(code)
    if answer in (None, "", []):
        return False
    if "includes" in condition:
        return isinstance(answer, list | tuple) and condition["includes"] in answer
    if "in" in condition:
        return answer in condition["in"]
    return answer == condition["is"]


def applicable(
    questions: Iterable, *, case: CaseFacts, answers: Mapping[str, Any]
) -> dict[str, bool]:
    """Return {code: applies} for `questions` (in framework order, with key_question and parent)."""
    applies: dict[str, bool] = {}
    for question in questions:
        parent_applies = question.parent_id is None or applies.get(question.parent.code, False)
        applies[question.code] = parent_applies and all(
            condition_holds(c, case=case, answers=answers, applies=applies)
            for c in (question.key_question.applies_when, question.applies_when)
        )
    return applies


def describe(condition: Mapping | None, *, choice_label) -> str:
    """Return `condition` in words, e.g. "only if A3.6 is Yes".

    `choice_label(code, value)` gives the label of a choice of question `code`.
    """
    if not condition:
        return ""
    if "all" in condition or "any" in condition:
        joiner = " and " if "all" in condition else " or "
        parts = [describe(c, choice_label=choice_label) for c in next(iter(condition.values()))]
        return joiner.join(f"({p})" if " and " in p or " or " in p else p for p in parts)
    if "case" in condition:
        return CASE_VALUE_LABELS[(condition["case"], condition["is"])]
    code = condition["answer"]
    if "includes" in condition:
        return f"only if {code} includes {choice_label(code, condition['includes'])}"
    values = condition["in"] if "in" in condition else [condition["is"]]
    labels = [ANSWER_LABELS.get(v) or choice_label(code, v) for v in values]
    words = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"
    return f"only if {code} is {words}"
