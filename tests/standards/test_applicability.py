"""Which questions apply: by the case's characteristics and by earlier answers."""

import pytest

from standards.applicability import applicable
from standards.conditions import CaseFacts, describe, holds
from standards.selectors import framework_questions

COMMUNITY = CaseFacts(supervision="community", provider="crc")
POST_CUSTODY = CaseFacts(supervision="post_custody", provider="nps")


@pytest.fixture
def questions(framework):
    return framework_questions(version=framework)


def applies(questions, case, **answers):
    return applicable(
        questions, case=case, answers={k.replace("_", "."): v for k, v in answers.items()}
    )


def test_licence_and_pre_release_questions_apply_to_post_custody_cases_only(questions):
    community, custody = applies(questions, COMMUNITY), applies(questions, POST_CUSTODY)

    assert (community["I15.4"], custody["I15.4"]) == (False, True)
    assert (community["D1.4"], custody["D1.4"]) == (False, True)
    assert (community["A0.1"], custody["A0.1"]) == (True, False)
    assert (community["A1.1"], custody["A1.1"]) == (True, True)


def test_an_unrecorded_characteristic_hides_nothing(questions):
    unknown = applies(questions, CaseFacts())

    assert unknown["I15.4"] and unknown["D1.4"] and unknown["A0.1"]


def test_a_question_follows_the_earlier_answer_it_depends_on(questions):
    assert applies(questions, COMMUNITY)["A3.7"] is False
    assert applies(questions, COMMUNITY, A3_6="no")["A3.7"] is False
    assert applies(questions, COMMUNITY, A3_6="yes")["A3.7"] is True
    assert applies(questions, COMMUNITY, A3_5="yes")["P3.5"] is True
    assert applies(questions, COMMUNITY, A3_5="no")["P3.5"] is False


def test_victim_contact_questions_follow_the_chain_of_earlier_answers(questions):
    taken_up = {"A3_15": "yes", "A3_16": "yes", "A3_17": "yes"}
    result = applies(questions, POST_CUSTODY, **taken_up)
    assert all(
        result[code] for code in ("V3.1", "V3.2", "V3.3", "V3S", "V3S-reasons", "V4.1", "V4S")
    )

    # A stale "yes" further down the chain does not count once an earlier answer says no.
    result = applies(questions, POST_CUSTODY, **{**taken_up, "A3_15": "no"})
    assert not any(result[code] for code in ("A3.16", "A3.17", "V3.1", "V3S", "V4.1", "V4S"))


def test_victim_liaison_at_mappa_is_asked_only_at_levels_2_and_3(questions):
    base = {"A3_15": "yes", "A3_16": "yes", "A3_17": "yes", "A3_13": "category_2"}
    assert applies(questions, POST_CUSTODY, **base, A3_14="level_1")["V4.2"] is False
    assert applies(questions, POST_CUSTODY, **base, A3_14="level_2")["V4.2"] is True
    assert (
        applies(questions, POST_CUSTODY, **{**base, "A3_13": "not_mappa"}, A3_14="level_3")["V4.2"]
        is False
    )


def test_a_sub_field_follows_its_parent_and_its_own_condition(questions):
    assert applies(questions, COMMUNITY, A0_1=["ogrs_score"])["A0.1-ogrs"] is True
    assert applies(questions, COMMUNITY, A0_1=["court_reports"])["A0.1-ogrs"] is False
    # A0.1 is asked in community cases only, so its sub-fields are not asked after custody.
    assert applies(questions, POST_CUSTODY, A0_1=["ogrs_score"])["A0.1-ogrs"] is False
    assert applies(questions, COMMUNITY, A2_6="yes")["A2.6-ogrs2"] is True


def test_combined_conditions():
    either = {"any": [{"case": "provider", "is": "nps"}, {"answer": "X1", "is": "yes"}]}
    both = {"all": [{"case": "provider", "is": "nps"}, {"answer": "X1", "is": "yes"}]}
    crc = CaseFacts(provider="crc")
    context = {"case": crc, "applies": {"X1": True}}

    assert holds(either, answers={"X1": "yes"}, **context) is True
    assert holds(either, answers={"X1": "no"}, **context) is False
    assert holds(both, answers={"X1": "yes"}, **context) is False


def test_conditions_in_words(framework):
    labels = {"category_1": "Category 1", "category_2": "Category 2"}

    def label(code, value):
        return labels[value]

    assert describe({"case": "supervision", "is": "post_custody"}, choice_label=label) == (
        "post-custody cases only"
    )
    assert describe({"answer": "A3.6", "is": "yes"}, choice_label=label) == "only if A3.6 is Yes"
    assert describe(
        {"answer": "A3.13", "in": ["category_1", "category_2"]}, choice_label=label
    ) == ("only if A3.13 is Category 1 or Category 2")
    assert describe(
        {"all": [{"case": "provider", "is": "nps"}, {"answer": "A3.6", "is": "no"}]},
        choice_label=label,
    ) == ("NPS cases only and only if A3.6 is No")
