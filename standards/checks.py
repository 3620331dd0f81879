"""Consistency checks: rules kept with their framework version, evaluated on stored answers.

A check flags a key question's judgement whose answers look inconsistent in a
way the framework's guidance names. The rules come from the framework's checks
file (NAME.checks.yaml beside NAME.yaml), validated and hashed with the version by
load_framework and stored with it, so that an inspection's flags never change
under it; their conditions are standards.conditions', read on answers as stored.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from standards.conditions import holds
from standards.models import AnswerType, FrameworkVersion, Question


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


def checks_for(version: FrameworkVersion) -> list[Rule]:
    """Return the consistency rules of `version`, as loaded with it."""
    return [Rule(**rule) for rule in version.checks]


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
        elif holds(rule.when, answers=answers):
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
