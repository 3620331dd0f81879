"""One condition language: when a question applies, and when a consistency check flags.

A condition is data, written in the framework file (`applies_when`) and in its checks
file (`when`):

    {case: FIELD, is: VALUE}                 a characteristic of the case (CASE_CHARACTERISTICS)
    {answer: CODE, is: VALUE}                a yes/no or single-choice answer
    {answer: CODE, in: [VALUE, ...]}
    {answer: CODE, includes: VALUE}          a multiple-choice answer
    {answer: CODE, answered: true|false}     any answer
    {answer: CODE, differs_from: CODE}       two answers, both given
    {answer: CODE, same_as: CODE}
    {all: [...]}, {any: [...]}, {not: CONDITION}

`parse_condition` validates one against the questions it may name (each value against
the question's own answers) and returns it normalised; `holds` evaluates it; `describe`
says it in words. Quote "yes" and "no": bare, YAML reads them as booleans.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from standards.characteristics import CHARACTERISTICS, CONDITION_FIELDS
from standards.models import AnswerType

# {case: FIELD, is: VALUE}: the fields and values, and how each limit reads (characteristics).
CASE_CHARACTERISTICS = {field: CHARACTERISTICS[field].values() for field in CONDITION_FIELDS}
CASE_VALUE_LABELS = {
    (field, value): group.only
    for field in CONDITION_FIELDS
    for group in CHARACTERISTICS[field].groups
    for value in group.values
}
YES_NO_VALUES = {AnswerType.YES_NO: ("yes", "no"), AnswerType.YES_NO_NA: ("yes", "no", "na")}
ANSWER_LABELS = {"yes": "Yes", "no": "No", "na": "Not applicable"}
COMBINATORS = ("all", "any")
VALUE_TESTS = ("is", "in", "includes")
ANSWER_TESTS = (*VALUE_TESTS, "answered", "differs_from", "same_as")
NOT_GIVEN = (None, "", [])


class ConditionError(ValueError):
    """A condition that cannot be used, and the place (within it) of the fault."""

    def __init__(self, place: str, problem: str):
        super().__init__(f"{place}: {problem}")
        self.place, self.problem = place, problem


@dataclass(frozen=True)
class CaseFacts:
    """The characteristics of a case that conditions may test; None where not recorded."""

    supervision: str | None = None
    provider: str | None = None


def parse_condition(
    raw: Any, *, place: str, questions: Mapping[str, Mapping], unknown: str
) -> dict:
    """Return condition `raw` validated and normalised, or raise ConditionError.

    `questions` are those it may name ({code: {"answer": type, "choices": [...]}}); a code
    outside them is refused as "CODE `unknown`".
    """
    if not isinstance(raw, dict) or not raw:
        raise ConditionError(place, f"expected a condition (a mapping), got {_kind(raw)}")
    for combinator in COMBINATORS:
        if combinator in raw:
            _only(raw, place, {combinator})
            parts = raw[combinator]
            if not isinstance(parts, list) or not parts:
                raise ConditionError(f"{place}.{combinator}", "expected a non-empty list")
            return {
                combinator: [
                    parse_condition(
                        part,
                        place=f"{place}.{combinator}[{i}]",
                        questions=questions,
                        unknown=unknown,
                    )
                    for i, part in enumerate(parts)
                ]
            }
    if "not" in raw:
        _only(raw, place, {"not"})
        inner = parse_condition(
            raw["not"], place=f"{place}.not", questions=questions, unknown=unknown
        )
        return {"not": inner}
    if "case" in raw:
        return _case_condition(raw, place)
    if "answer" in raw:
        return _answer_condition(raw, place, questions, unknown)
    raise ConditionError(place, "a condition needs one of the keys case, answer, all, any, not")


def holds(
    condition: Mapping | None,
    *,
    answers: Mapping[str, Any],
    case: CaseFacts | None = None,
    applies: Mapping[str, bool] | None = None,
) -> bool:
    """Return whether `condition` holds; no condition always does.

    A characteristic that is not recorded holds: better to ask than to lose an answer.
    With `applies` (deciding applicability), an answer to a question that does not apply
    counts as not given, so that a stale answer hides what depended on it; without it
    (checks), answers count as stored.
    """
    if not condition:
        return True
    if "all" in condition:
        return all(holds(c, answers=answers, case=case, applies=applies) for c in condition["all"])
    if "any" in condition:
        return any(holds(c, answers=answers, case=case, applies=applies) for c in condition["any"])
    if "not" in condition:
        return not holds(condition["not"], answers=answers, case=case, applies=applies)
    if "case" in condition:
        fact = getattr(case, condition["case"], None) if case is not None else None
        return fact is None or fact == condition["is"]

    def given(code):
        value = answers.get(code)
        counts = applies is None or applies.get(code, False)
        return value if counts and value not in NOT_GIVEN else None

    value = given(condition["answer"])
    if "answered" in condition:
        return (value is not None) == condition["answered"]
    if value is None:
        return False
    if "includes" in condition:
        return isinstance(value, list | tuple) and condition["includes"] in value
    if "in" in condition:
        return value in condition["in"]
    if "is" in condition:
        return value == condition["is"]
    other = given(condition.get("differs_from") or condition["same_as"])
    if other is None:
        return False
    return (value != other) if "differs_from" in condition else (value == other)


def describe(condition: Mapping | None, *, choice_label: Callable[[str, str], str]) -> str:
    """Return `condition` in words, e.g. "only if A3.6 is Yes".

    `choice_label(code, value)` gives the label of a choice of question `code`.
    """
    if not condition:
        return ""
    if "all" in condition or "any" in condition:
        joiner = " and " if "all" in condition else " or "
        parts = [describe(c, choice_label=choice_label) for c in next(iter(condition.values()))]
        return joiner.join(f"({p})" if " and " in p or " or " in p else p for p in parts)
    if "not" in condition:
        return f"unless ({describe(condition['not'], choice_label=choice_label)})"
    if "case" in condition:
        return CASE_VALUE_LABELS[(condition["case"], condition["is"])]
    code = condition["answer"]
    if "answered" in condition:
        return f"only if {code} is {'answered' if condition['answered'] else 'not answered'}"
    if "differs_from" in condition or "same_as" in condition:
        other = condition.get("differs_from") or condition["same_as"]
        relation = "differs from" if "differs_from" in condition else "is the same as"
        return f"only if {code} {relation} {other}"
    if "includes" in condition:
        return f"only if {code} includes {choice_label(code, condition['includes'])}"
    values = condition["in"] if "in" in condition else [condition["is"]]
    labels = [ANSWER_LABELS.get(v) or choice_label(code, v) for v in values]
    words = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"
    return f"only if {code} is {words}"


def _case_condition(raw: dict, place: str) -> dict:
    _only(raw, place, {"case", "is"}, required=True)
    name = _text(raw["case"], f"{place}.case")
    if name not in CASE_CHARACTERISTICS:
        raise ConditionError(
            f"{place}.case", f"{name!r} must be one of {', '.join(CASE_CHARACTERISTICS)}"
        )
    value = _text(raw["is"], f"{place}.is")
    if value not in CASE_CHARACTERISTICS[name]:
        raise ConditionError(
            f"{place}.is", f"{value!r} must be one of {', '.join(CASE_CHARACTERISTICS[name])}"
        )
    return {"case": name, "is": value}


def _answer_condition(raw: dict, place: str, questions: Mapping, unknown: str) -> dict:
    tests = [key for key in ANSWER_TESTS if key in raw]
    if len(tests) != 1:
        raise ConditionError(
            place, f"an answer condition needs exactly one of {', '.join(ANSWER_TESTS)}"
        )
    (test,) = tests
    _only(raw, place, {"answer", test}, required=True)
    code = _text(raw["answer"], f"{place}.answer")
    if code not in questions:
        raise ConditionError(f"{place}.answer", f"{code} {unknown}")
    target = questions[code]
    if test == "answered":
        if not isinstance(raw[test], bool):
            raise ConditionError(f"{place}.answered", "expected true or false")
        return {"answer": code, "answered": raw[test]}
    if test in ("differs_from", "same_as"):
        other = _text(raw[test], f"{place}.{test}")
        if other not in questions:
            raise ConditionError(f"{place}.{test}", f"{other} {unknown}")
        return {"answer": code, test: other}
    allowed = YES_NO_VALUES.get(target["answer"]) or tuple(
        c["value"] for c in target.get("choices") or ()
    )
    if not allowed:
        raise ConditionError(
            f"{place}.answer",
            f"{code} is a {target['answer']} question: is, in and includes test only "
            "yes/no and choice answers",
        )
    if test == "includes" and target["answer"] != AnswerType.MULTIPLE_CHOICE:
        raise ConditionError(f"{place}.includes", f"{code} is not multiple_choice: use is or in")
    if test != "includes" and target["answer"] == AnswerType.MULTIPLE_CHOICE:
        raise ConditionError(f"{place}.{test}", f"{code} is multiple_choice: use includes")
    if test == "in" and (not isinstance(raw["in"], list) or not raw["in"]):
        raise ConditionError(f"{place}.in", "expected a non-empty list")
    values = raw["in"] if test == "in" else [raw[test]]
    checked = []
    for i, value in enumerate(values):
        value = _text(value, f"{place}.{test}" + (f"[{i}]" if test == "in" else ""))
        if value not in allowed:
            raise ConditionError(
                f"{place}.{test}", f"{value!r} is not an answer of {code} ({', '.join(allowed)})"
            )
        checked.append(value)
    return {"answer": code, test: checked if test == "in" else checked[0]}


def _only(raw: dict, place: str, keys: set[str], *, required: bool = False) -> None:
    missing = sorted(keys - raw.keys()) if required else []
    if missing:
        raise ConditionError(place, f"missing key(s): {', '.join(missing)}")
    unknown = sorted(set(raw) - keys, key=str)
    if unknown:
        raise ConditionError(place, f"unknown key(s): {', '.join(map(str, unknown))}")


def _text(value: Any, place: str) -> str:
    if isinstance(value, bool):
        raise ConditionError(place, f'got the boolean {value}: quote it (write "yes" or "no")')
    if not isinstance(value, str) or not value.strip():
        raise ConditionError(place, f"expected text, got {_kind(value)}")
    return value.strip()


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "text", bool: "a boolean"}.get(
        type(value), type(value).__name__
    )
