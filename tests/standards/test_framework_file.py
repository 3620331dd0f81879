"""The framework file parser: what it accepts, and how it names the place of a fault."""

import pytest

from standards.framework_file import (
    REPORT_DEFAULTS,
    FrameworkFileError,
    content_hash,
    framework_hash,
    parse_framework,
)
from tests.conftest import BUNDLED_FRAMEWORK

MINIMAL = """
schema: 1
framework: test-framework
title: Test framework
version: "1"
status: draft
rating:
  bands:
    - {key: good, label: Good, min_percent: 65}
    - {key: inadequate, label: Inadequate, min_percent: 0}
  standard_rule: lowest_key_question_band
sections:
  - code: A
    title: Assessment
    is_standard: true
    key_questions:
      - code: A1
        kind: key_question
        title: Does assessment focus sufficiently on engaging the service user?
        questions:
          - code: A1.1
            text: Is it good?
            answer: yes_no
            weight: standards
          - code: A1.2
            text: Which factors?
            answer: multiple_choice
            weight: background
            choices:
              - {value: drugs, label: Drug misuse}
              - {value: none, label: None}
            exclusive: none
          - code: A1.3
            text: Does it apply?
            answer: yes_no
            weight: standards
            applies_when: {answer: A1.1, is: "yes"}
        summary:
          code: A1S
          text: Does assessment focus sufficiently on engaging the service user?
"""


def fault(text: str) -> str:
    with pytest.raises(FrameworkFileError) as raised:
        parse_framework(text, source="test.yaml")
    return str(raised.value)


def test_it_parses_a_minimal_file():
    data = parse_framework(MINIMAL)
    (question_1, question_2, question_3) = data["sections"][0]["key_questions"][0]["questions"]
    assert question_2["exclusive"] == "none"
    assert question_3["applies_when"] == {"answer": "A1.1", "is": "yes"}
    assert data["sections"][0]["key_questions"][0]["summary"]["code"] == "A1S"


def test_the_hash_ignores_comments_and_layout():
    commented = MINIMAL.replace("schema: 1", "# a comment\nschema:   1")
    assert content_hash(parse_framework(commented)) == content_hash(parse_framework(MINIMAL))
    changed = MINIMAL.replace("Is it good?", "Is it good enough?")
    assert content_hash(parse_framework(changed)) != content_hash(parse_framework(MINIMAL))


def test_it_names_the_line_of_a_yaml_syntax_error():
    message = fault(MINIMAL.replace("title: Assessment", "title: [Assessment"))
    assert message.startswith("test.yaml: line ")
    assert "not valid YAML" in message


def test_it_refuses_a_bare_yes():
    message = fault(MINIMAL.replace('is: "yes"', "is: yes"))
    assert "(A1.3).applies_when.is" in message
    assert "quote it" in message


def test_it_names_the_question_with_an_unknown_answer_type():
    message = fault(MINIMAL.replace("answer: yes_no", "answer: yesno", 1))
    assert "sections[0] (A).key_questions[0] (A1).questions[0] (A1.1).answer" in message
    assert "'yesno' must be one of" in message


def test_it_refuses_a_code_used_twice():
    message = fault(MINIMAL.replace("code: A1.3", "code: A1.1"))
    assert "A1.1 is used twice" in message


def test_it_refuses_a_question_filed_under_the_wrong_key_question():
    message = fault(MINIMAL.replace("code: A1.3", "code: A2.3"))
    assert "'A2.3' must be a question number starting A1." in message


def test_it_refuses_a_condition_on_a_later_question():
    message = fault(MINIMAL.replace("{answer: A1.1, is:", "{answer: A1.9, is:"))
    assert "A1.9 is not a question defined earlier in the file" in message


def test_it_refuses_a_condition_on_a_value_the_question_cannot_have():
    message = fault(MINIMAL.replace('is: "yes"', 'is: "na"'))
    assert "'na' is not an answer of A1.1 (yes, no)" in message


def test_it_refuses_choices_missing_from_a_choice_question():
    text = MINIMAL.replace(
        "            choices:\n              - {value: drugs, label: Drug misuse}\n"
        "              - {value: none, label: None}\n            exclusive: none\n",
        "",
    )
    assert "(A1.2).choices: expected a non-empty list" in fault(text)


def test_it_refuses_bands_out_of_order():
    message = fault(MINIMAL.replace("min_percent: 65", "min_percent: -5"))
    assert "rating.bands[0].min_percent" in message


def test_it_refuses_a_key_question_without_its_summary():
    text = MINIMAL.split("        summary:")[0]
    assert "needs its summary judgement" in fault(text)


def test_it_refuses_unknown_keys():
    message = fault(
        MINIMAL.replace("weight: background", "weight: background\n            colour: grey")
    )
    assert "(A1.2): unknown key(s): colour" in message


def test_the_bundled_framework_is_valid():
    data = parse_framework(BUNDLED_FRAMEWORK.read_text(encoding="utf-8"))
    assert data["status"] == "published"
    assert [band["min_percent"] for band in data["rating"]["bands"]] == [80, 65, 50, 0]


def test_applies_when_speaks_the_same_condition_language_as_the_checks():
    data = parse_framework(
        MINIMAL.replace('{answer: A1.1, is: "yes"}', "{not: {answer: A1.2, answered: false}}")
    )

    question_3 = data["sections"][0]["key_questions"][0]["questions"][2]
    assert question_3["applies_when"] == {"not": {"answer": "A1.2", "answered": False}}


REPORT = """report:
  columns: [provider]
  rows: [gender, mappa]
  caution_below: 5
sections:"""


def test_it_reads_the_report_layout_and_fills_in_what_is_left_out():
    data = parse_framework(MINIMAL.replace("sections:", REPORT, 1))

    assert data["report"] == {
        "columns": ["provider"],
        "rows": ["gender", "mappa"],
        "caution_below": 5,
        "analysis_minimum": REPORT_DEFAULTS["analysis_minimum"],
    }
    assert parse_framework(MINIMAL)["report"] == REPORT_DEFAULTS


def test_the_default_report_layout_leaves_the_hash_as_it_was():
    rows = ", ".join(REPORT_DEFAULTS["rows"])
    written_out = f"report:\n  rows: [{rows}]\nsections:"

    assert framework_hash(parse_framework(MINIMAL.replace("sections:", written_out, 1))) == (
        framework_hash(parse_framework(MINIMAL))
    )
    assert framework_hash(parse_framework(MINIMAL.replace("sections:", REPORT, 1))) != (
        framework_hash(parse_framework(MINIMAL))
    )


@pytest.mark.parametrize(
    ("report", "message"),
    [
        ("rows: [gender, shoe_size]", "report.rows[1]: 'shoe_size' must be one of provider,"),
        ("columns: [gender]\n  rows: [gender]", "report.rows[0]: gender is named twice"),
        ("rows: []", "report.rows: expected a non-empty list"),
        ("caution_below: 0", "report.caution_below: expected a whole number of cases, got 0"),
        ("analysis_minimum: thirty", "report.analysis_minimum: expected a whole number"),
        ("colour: blue", "report: unknown key(s): colour"),
    ],
)
def test_it_refuses_a_report_layout_it_cannot_build(report, message):
    assert message in fault(MINIMAL.replace("sections:", f"report:\n  {report}\nsections:", 1))
