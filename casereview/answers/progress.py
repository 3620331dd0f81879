"""What is done and what is missing in a review: plain functions over the framework and answers."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from casereview.answers.values import slot
from casereview.models import Answer
from standards.applicability import CaseFacts, applicable
from standards.models import Question

NOT_STARTED, IN_PROGRESS, COMPLETE = "not_started", "in_progress", "complete"
STATE_LABELS = {NOT_STARTED: "Not started", IN_PROGRESS: "In progress", COMPLETE: "Complete"}


@dataclass(frozen=True)
class Missing:
    code: str  # the question or summary judgement
    key_question: str
    message: str
    anchor: str  # the id of the question's block on its page


def case_facts(case) -> CaseFacts:
    return CaseFacts(supervision=case.supervision or None, provider=case.provider or None)


def answer_values(answers: Iterable[Answer]) -> dict[str, object]:
    return {a.question.code: a.value for a in answers}


def missing_items(
    questions: list[Question], answers: Mapping[str, Answer], applies: Mapping[str, bool]
) -> list[Missing]:
    """Return every applicable answer, judgement, reason or example still to give, in order."""
    missing = []
    for question in questions:
        if not applies[question.code]:
            continue
        answer = answers.get(question.code)
        kq = question.key_question.code
        if answer is None or answer.value in (None, "", []):
            if question.kind == Question.Kind.SUMMARY:
                message = f"Give the summary judgement for {kq}"
            else:
                message = f"Answer {question.code}: {question.text}"
            missing.append(Missing(question.code, kq, message, f"question-{slot(question.code)}"))
        if question.kind != Question.Kind.SUMMARY:
            continue
        if answer is None or not answer.reasons:
            missing.append(
                Missing(
                    question.code,
                    kq,
                    f"Give your reasons for the {kq} judgement",
                    f"{question.code}-reasons",
                )
            )
        if answer is not None and answer.practice and not answer.practice_text:
            missing.append(
                Missing(
                    question.code,
                    kq,
                    f"Describe the {answer.get_practice_display().lower()} example for {kq}",
                    f"{question.code}-practice_text",
                )
            )
    return missing


@dataclass(frozen=True)
class ReviewState:
    """Where one review stands: what applies, what is missing, and each part's progress."""

    applies: dict[str, bool]  # question code: whether it applies to the case
    missing: list[Missing]
    by_section: dict[str, str]  # section code: NOT_STARTED, IN_PROGRESS or COMPLETE
    by_key_question: dict[str, str]  # key question code: the same


def review_state(questions: list[Question], answers: Mapping[str, Answer], case) -> ReviewState:
    """Return where one review stands, from its answers (by question code)."""
    applies = applicable(
        questions, case=case_facts(case), answers={c: a.value for c, a in answers.items()}
    )
    missing = missing_items(questions, answers, applies)
    missing_codes = {m.code for m in missing}
    by_section: dict[str, list[tuple[bool, bool]]] = {}
    by_key_question: dict[str, list[tuple[bool, bool]]] = {}
    for question in questions:
        if not applies[question.code]:
            continue
        answer = answers.get(question.code)
        started = answer is not None and (
            answer.value not in (None, "", []) or bool(answer.reasons)
        )
        done = question.code not in missing_codes
        by_section.setdefault(question.key_question.section.code, []).append((started, done))
        by_key_question.setdefault(question.key_question.code, []).append((started, done))
    return ReviewState(applies, missing, _states(by_section), _states(by_key_question))


def _states(groups: dict[str, list[tuple[bool, bool]]]) -> dict[str, str]:
    states = {}
    for code, items in groups.items():
        if all(done for _, done in items):
            states[code] = COMPLETE
        elif any(started for started, _ in items):
            states[code] = IN_PROGRESS
        else:
            states[code] = NOT_STARTED
    return states
