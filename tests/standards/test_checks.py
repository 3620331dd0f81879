"""The consistency checks: each rule with answers that trigger it and answers that do not."""

import pytest

from standards.applicability import applicable
from standards.checks import checks_for, evaluate
from standards.conditions import CaseFacts
from standards.framework_file import FrameworkFileError, parse_framework
from standards.selectors import framework_questions
from tests.standards.test_framework_file import MINIMAL

# A consistent case: every standards-linked answer Yes and every judgement Yes, no concerns.
CONSISTENT = {
    "A3.5": "no", "A3.6": "no", "A3.8": "medium", "A3.9": "medium", "A3.10": "yes",
    "A3.13": "not_mappa", "D3.5": "yes", "P3.5": None, "P3.6": None,
}  # fmt: skip


@pytest.fixture
def flags_for(framework):
    questions = framework_questions(version=framework)
    rules = checks_for(framework)
    base = {}
    for question in questions:
        if question.kind == "summary" or question.answer_type in ("yes_no", "yes_no_na"):
            base[question.code] = "yes"
    base.update(CONSISTENT)

    def flags(**changes):
        answers = {**base, **{code.replace("_", "."): v for code, v in changes.items()}}
        answers = {code: value for code, value in answers.items() if value is not None}
        applies = applicable(questions, case=CaseFacts(supervision="community"), answers=answers)
        return {
            (flag.key_question, flag.rule) for flag in evaluate(rules, questions, answers, applies)
        }

    return flags


def test_a_consistent_case_raises_no_flag(flags_for):
    assert flags_for() == set()


def test_a_yes_judgement_over_mostly_no_answers_is_flagged_and_the_reverse(flags_for):
    mostly_no = {f"A1_{i}": "no" for i in range(1, 5)}  # 4 of A1's 6 answers

    assert flags_for(**mostly_no) == {("A1", "judgement_against_most_answers")}
    assert flags_for(**mostly_no, A1S="no") == set()
    assert flags_for(A1S="no") == {("A1", "judgement_against_most_answers")}
    assert flags_for(A1_1="no", A1_2="no", A1_3="no") == set()  # half is not most


def test_a_concern_with_low_rosh_is_flagged(flags_for):
    assert ("A3", "concern_with_low_rosh") in flags_for(A3_5="yes", A3_9="low", A3_8="low")
    assert ("A3", "concern_with_low_rosh") in flags_for(A3_6="yes", A3_9="low", A3_8="low")
    assert ("A3", "concern_with_low_rosh") not in flags_for(A3_9="low", A3_8="low")
    assert ("A3", "concern_with_low_rosh") not in flags_for(A3_5="yes", A3_9="medium")


def test_planning_for_concerns_that_were_not_found_or_missing_is_flagged(flags_for):
    assert ("P3", "domestic_abuse_planning_without_concern") in flags_for(P3_5="yes")
    assert ("P3", "domestic_abuse_concern_without_planning") in flags_for(A3_5="yes", P3_5=None)
    assert flags_for(A3_5="yes", P3_5="yes") == set()
    assert ("P3", "child_safeguarding_planning_without_concern") in flags_for(P3_6="no")
    assert ("P3", "child_safeguarding_concern_without_planning") in flags_for(
        A3_6="yes", A3_7="yes", P3_6=None
    )
    assert flags_for(A3_6="yes", A3_7="no", P3_6="yes") == set()


def test_the_rosh_classification_question_follows_the_two_levels(flags_for):
    assert ("A3", "rosh_correct_but_levels_differ") in flags_for(A3_8="low", A3_9="medium")
    assert ("A3", "rosh_incorrect_but_levels_agree") in flags_for(A3_10="no")
    assert flags_for(A3_8="low", A3_9="medium", A3_10="no") == set()


def test_home_visits_marked_not_applicable_despite_concerns_are_flagged(flags_for):
    assert ("D3", "no_home_visits_despite_concerns") in flags_for(A3_5="yes", P3_5="yes",
                                                                   D3_5="na")  # fmt: skip
    assert ("D3", "no_home_visits_despite_concerns") not in flags_for(D3_5="na")


def test_mappa_category_3_at_level_1_is_flagged(flags_for):
    assert ("A3", "mappa_category_3_at_level_1") in flags_for(A3_13="category_3", A3_14="level_1")
    assert flags_for(A3_13="category_3", A3_14="level_2") == set()


def checks(rules: str) -> str:
    return f"framework: test-framework\nversion: '1'\nrules:\n{rules}"


def check_fault(rules: str) -> str:
    with pytest.raises(FrameworkFileError) as refused:
        parse_framework(MINIMAL, source="t.yaml", checks_text=checks(rules), checks_source="t.c")
    return str(refused.value)


RULE = "  - key: r\n    key_question: A1\n    message: m\n    when: {when}\n"


def test_a_checks_file_is_read_with_its_framework_in_the_one_condition_language():
    data = parse_framework(MINIMAL, checks_text=checks(RULE.format(
        when="{all: [{answer: A1.1, is: 'no'}, {not: {answer: A1.3, answered: true}}]}"
    )))  # fmt: skip

    assert data["checks"] == [{
        "key": "r", "kind": "answers", "key_question": "A1", "message": "m",
        "when": {"all": [{"answer": "A1.1", "is": "no"},
                         {"not": {"answer": "A1.3", "answered": True}}]},
    }]  # fmt: skip


def test_a_malformed_checks_file_is_refused_with_its_place():
    assert "t.c: rules[0].when.answer: Z9.9 is not a question of the framework" in check_fault(
        RULE.format(when="{answer: Z9.9, is: 'yes'}")
    )
    assert "quote it" in check_fault(RULE.format(when="{answer: A1.1, is: yes}"))
    assert "rules[0].key_question: B7 is not a key question" in check_fault(
        RULE.format(when="{answer: A1.1, is: 'yes'}").replace("A1\n", "B7\n", 1)
    )


def test_a_check_is_refused_a_value_its_question_cannot_have():
    # The one validator checks values against the question's answers, as applies_when's does.
    assert "'na' is not an answer of A1.1 (yes, no)" in check_fault(
        RULE.format(when="{answer: A1.1, is: 'na'}")
    )
    assert "A1.2 is multiple_choice: use includes" in check_fault(
        RULE.format(when="{answer: A1.2, is: drugs}")
    )


def test_a_checks_file_for_another_framework_is_refused():
    with pytest.raises(FrameworkFileError, match="'other' is not 'test-framework'"):
        parse_framework(MINIMAL, checks_text=checks(RULE.format(when="{answer: A1.1, is: 'no'}"))
                        .replace("framework: test-framework", "framework: other"))  # fmt: skip


def test_the_bundled_checks_cover_the_rules_the_guidance_states(framework):
    keys = {rule.key for rule in checks_for(framework)}

    assert {
        "judgement_against_most_answers", "concern_with_low_rosh",
        "domestic_abuse_planning_without_concern", "domestic_abuse_concern_without_planning",
        "child_safeguarding_planning_without_concern",
        "child_safeguarding_concern_without_planning",
    } <= keys  # fmt: skip
