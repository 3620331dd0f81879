"""Consistency checks kept as data beside the framework (frameworks/*.checks.yaml).

A check flags a key question's judgement whose answers look inconsistent in a
way the framework's guidance names. Parsing refuses a malformed file with the
place of the fault; evaluating is a plain function over stored answers.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from standards.framework_file import FrameworkFileError
from standards.models import AnswerType, FrameworkVersion, Question

CHECKS_DIR = Path(__file__).resolve().parent / "frameworks"
KINDS = {"summary_majority", "answers"}


@dataclass(frozen=True)
class Rule:
    key: str
    kind: str
    key_question: str = ""
    when: Mapping | None = None
    message: str = ""


@dataclass(frozen=True)
class Flag:
    key_question: str
    rule: str
    message: str


def parse_checks(text: str, *, codes: set[str], source: str = "checks file") -> list[Rule]:
    """Return the rules in checks YAML `text`, whose answer codes must be among `codes`."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise FrameworkFileError(f"{source}: not valid YAML: {error}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("rules"), list):
        raise FrameworkFileError(f"{source}: expected framework, version and a list of rules")
    rules, keys = [], set()
    for i, item in enumerate(raw["rules"]):
        place = f"{source}: rules[{i}]"
        if not isinstance(item, dict) or not item.get("key") or item.get("key") in keys:
            raise FrameworkFileError(f"{place}: each rule needs a key of its own")
        keys.add(item["key"])
        kind = item.get("kind", "answers")
        if kind not in KINDS:
            raise FrameworkFileError(f"{place}: kind must be one of {', '.join(sorted(KINDS))}")
        if kind == "answers":
            if not item.get("key_question") or not item.get("message") or not item.get("when"):
                raise FrameworkFileError(f"{place}: needs key_question, when and message")
            _check_condition(item["when"], f"{place}.when", codes)
        rules.append(
            Rule(
                item["key"],
                kind,
                item.get("key_question", ""),
                item.get("when"),
                " ".join(str(item.get("message", "")).split()),
            )
        )
    return rules


def _check_condition(condition, place: str, codes: set[str]) -> None:
    if not isinstance(condition, dict) or len(condition) == 0:
        raise FrameworkFileError(f"{place}: expected a condition")
    for combinator in ("all", "any"):
        if combinator in condition:
            for i, part in enumerate(condition[combinator]):
                _check_condition(part, f"{place}.{combinator}[{i}]", codes)
            return
    if "not" in condition:
        _check_condition(condition["not"], f"{place}.not", codes)
        return
    code = condition.get("answer")
    if code not in codes:
        raise FrameworkFileError(f"{place}: {code!r} is not a question of the framework")
    tests = set(condition) - {"answer"}
    if len(tests) != 1 or not tests <= {"is", "in", "answered", "differs_from", "same_as"}:
        raise FrameworkFileError(f"{place}: needs one of is, in, answered, differs_from, same_as")
    for name in ("differs_from", "same_as"):
        if name in condition and condition[name] not in codes:
            raise FrameworkFileError(f"{place}.{name}: {condition[name]!r} is not a question")
    if isinstance(condition.get("is"), bool):
        raise FrameworkFileError(f"{place}.is: quote yes and no")


_RULES: dict[tuple[str, str], list[Rule]] = {}


def checks_for(version: FrameworkVersion) -> list[Rule]:
    """Return the consistency rules bundled for `version` (none when it has no checks file)."""
    key = (version.framework, version.version)
    if key not in _RULES:
        codes = set(version.questions.values_list("code", flat=True))
        found: list[Rule] = []
        for path in sorted(CHECKS_DIR.glob("*.checks.yaml")):
            head = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            if (head.get("framework"), str(head.get("version"))) == key:
                found = parse_checks(
                    path.read_text(encoding="utf-8"), codes=codes, source=path.name
                )
        _RULES[key] = found
    return _RULES[key]


def holds(condition: Mapping, answers: Mapping[str, object]) -> bool:
    """Return whether `condition` holds for stored `answers` ({code: value})."""
    if "all" in condition:
        return all(holds(part, answers) for part in condition["all"])
    if "any" in condition:
        return any(holds(part, answers) for part in condition["any"])
    if "not" in condition:
        return not holds(condition["not"], answers)
    value = answers.get(condition["answer"])
    given = value not in (None, "", [])
    if "answered" in condition:
        return given == bool(condition["answered"])
    if "is" in condition:
        return value == condition["is"]
    if "in" in condition:
        return value in condition["in"]
    other = answers.get(condition.get("differs_from") or condition.get("same_as"))
    if not given or other in (None, "", []):
        return False
    return (value != other) if "differs_from" in condition else (value == other)


def evaluate(
    rules: list[Rule],
    questions: list[Question],
    answers: Mapping[str, object],
    applies: Mapping[str, bool],
) -> list[Flag]:
    """Return the flags `rules` raise on a review's answers, in framework order."""
    flags = []
    for rule in rules:
        if rule.kind == "summary_majority":
            flags += _against_majority(rule, questions, answers, applies)
        elif holds(rule.when, answers):
            flags.append(Flag(rule.key_question, rule.key, rule.message))
    order = {q.key_question.code: q.position for q in reversed(questions)}
    return sorted(flags, key=lambda flag: order.get(flag.key_question, 0))


def _against_majority(rule, questions, answers, applies) -> list[Flag]:
    tallies: dict[str, dict[str, int]] = {}
    judgements: dict[str, object] = {}
    for question in questions:
        kq = question.key_question.code
        if question.kind == Question.Kind.SUMMARY:
            judgements[kq] = answers.get(question.code)
        elif (
            question.kind == Question.Kind.QUESTION
            and question.weight == "standards"
            and question.answer_type in (AnswerType.YES_NO, AnswerType.YES_NO_NA)
            and applies.get(question.code)
            and answers.get(question.code) in ("yes", "no")
        ):
            tally = tallies.setdefault(kq, {"yes": 0, "no": 0})
            tally[answers[question.code]] += 1
    flags = []
    for kq, judgement in judgements.items():
        tally = tallies.get(kq, {"yes": 0, "no": 0})
        total = tally["yes"] + tally["no"]
        if judgement in ("yes", "no"):
            opposite = "no" if judgement == "yes" else "yes"
            if tally[opposite] * 2 > total:
                message = (
                    f"The {kq} judgement is {judgement.capitalize()}, but {tally[opposite]} of "
                    f"its {total} standards-linked answers are {opposite.capitalize()}: say in "
                    "the reasons why the judgement stands."
                )
                flags.append(Flag(kq, rule.key, message))
    return flags
