"""Cleaning what a form sends, by answer type, with messages a person can act on (no database)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from casereview.answers.values import clean_value, display_value
from standards.models import Question


def question(answer_type, **fields) -> Question:
    return Question(code="X1.1", answer_type=answer_type, **fields)


CHOICES = [{"value": "drugs", "label": "Drug misuse"}, {"value": "alcohol", "label": "Alcohol"},
           {"value": "none", "label": "None identified"}]  # fmt: skip


def test_yes_no_answers():
    assert clean_value(question("yes_no"), "yes") == "yes"
    assert clean_value(question("yes_no"), "") is None
    with pytest.raises(ValidationError, match="Select one of the answers given for X1.1"):
        clean_value(question("yes_no"), "na")
    assert clean_value(question("yes_no_na"), "na") == "na"


def test_multiple_choice_keeps_framework_order_and_an_exclusive_choice_alone():
    multiple = question("multiple_choice", choices=CHOICES, exclusive_choice="none")

    assert clean_value(multiple, ["alcohol", "drugs"]) == ["drugs", "alcohol"]
    assert clean_value(multiple, []) is None
    with pytest.raises(ValidationError, match="“None identified” on its own"):
        clean_value(multiple, ["none", "drugs"])
    with pytest.raises(ValidationError, match="Select from the choices"):
        clean_value(multiple, ["gambling"])


def test_numbers_within_range_and_places():
    ogrs = question("number", number_min=Decimal(0), number_max=Decimal(99), number_decimals=0)
    rsr = question("number", number_min=Decimal(0), number_max=Decimal(100), number_decimals=2)

    assert clean_value(ogrs, " 45 ") == "45"
    assert clean_value(rsr, "3.25") == "3.25"
    assert clean_value(rsr, "3.50") == "3.5"
    for raw, message in [("abc", "Enter a number"), ("100", "from 0 to 99"),
                         ("4.5", "whole number"), ("NaN", "Enter a number")]:  # fmt: skip
        with pytest.raises(ValidationError, match=message):
            clean_value(ogrs, raw)
    with pytest.raises(ValidationError, match="up to 2 decimal places"):
        clean_value(rsr, "3.125")


def test_text_is_kept_as_given_but_bounded():
    text = question("text")

    assert clean_value(text, "  <script>alert(1)</script>  ") == "<script>alert(1)</script>"
    with pytest.raises(ValidationError, match="NUL"):
        clean_value(text, "a\x00b")
    with pytest.raises(ValidationError, match="10,000 characters"):
        clean_value(text, "x" * 10_001)


def test_answers_read_as_labels():
    multiple = question("multiple_choice", choices=CHOICES)

    assert display_value(multiple, ["drugs", "alcohol"]) == "Drug misuse; Alcohol"
    assert display_value(question("yes_no_na"), "na") == "Not applicable"
    assert display_value(question("text"), None) == "Not answered"
