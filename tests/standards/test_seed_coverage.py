"""Every code and every guidance word of the seed is in the framework data, in the right place.

Reads the inspectorate's framework from ../shared/seeds/ and the bundled
framework file, and compares them with whitespace removed (the seed is a table
flattened to text, wrapped at its column widths).
"""

import re

import pytest

from standards.framework_file import parse_framework
from tests.conftest import BUNDLED_FRAMEWORK
from tests.seed import seed_blocks, seed_lines, squash

# What the table adds around the framework's words: column titles and section headings.
FURNITURE = [
    "Questionnumber",
    "QuestionTextCARaGcontent",
    "CASEDETAILS",
    "SENTENCEDETAILS",
    "STAFFDETAILS",
    "AASSESSMENT",
    "BACKGROUNDINFORMATION",
    "ASSESSMENT",
    "PPLANNING",
    "IMPLEMENTATIONANDDELIVERY",
    "STATUTORYVICTIMCONTACT",
    "REVIEWING",
    "Summaryjudgement:",
]


@pytest.fixture(scope="module", name="seed_lines")
def seed_lines_fixture() -> list[str]:
    return seed_lines()


@pytest.fixture(scope="module")
def data() -> dict:
    return parse_framework(BUNDLED_FRAMEWORK.read_text(encoding="utf-8"))


def entities(data: dict):
    """Yield every question, sub-field and summary judgement in the data."""
    for section in data["sections"]:
        for key_question in section["key_questions"]:
            for question in key_question["questions"]:
                yield question
                yield from question["fields"]
            if key_question["summary"]:
                yield key_question["summary"]
                yield from key_question["summary"]["fields"]


def all_texts(data: dict) -> list[str]:
    """Return every piece of the seed's wording held in the data."""
    texts = list(data["preamble"])
    for section in data["sections"]:
        texts += [section["statement"], *section["guidance"]]
        for key_question in section["key_questions"]:
            if key_question["kind"] == "key_question":
                texts.append(key_question["title"])
            texts += key_question["guidance"]
    for entity in entities(data):
        texts += [entity["text"], *entity["guidance"]]
    return [t for t in texts if t]


def test_every_code_of_the_seed_is_in_the_data(seed_lines, data):
    seed_codes = {code for code, _ in seed_blocks(seed_lines) if code}
    data_codes = {e["code"] for e in entities(data) if "-" not in e["code"]}
    data_codes |= {kq["code"] for s in data["sections"] for kq in s["key_questions"]}

    assert seed_codes - data_codes == set()
    # Nothing invented: every numbered code of the data is printed in the seed.
    assert data_codes - seed_codes - {"I", "A0"} == set()


def test_the_data_has_112_numbered_questions_and_14_summary_judgements(data):
    codes = [e["code"] for e in entities(data)]
    numbered = [c for c in codes if "-" not in c and not c.endswith("S")]
    assert len(numbered) == 112
    assert numbered[0] == "I6.1" and numbered[-1] == "R3.7"
    assert [c for c in numbered if c.startswith("R3")] == ["R3.1", "R3.2", "R3.3", "R3.6", "R3.7"]
    assert [c for c in codes if c.endswith("S")] == [
        "A1S", "A2S", "A3S", "P1S", "P2S", "P3S", "D1S", "D2S", "D3S", "V3S", "V4S",
        "R1S", "R2S", "R3S",
    ]  # fmt: skip
    assert sorted(c for c in codes if "-" in c) == [
        "A0.1-ogrs",
        "A0.1-rsr",
        "A2.6-ogrs2",
        "V3S-reasons",
    ]


def test_every_question_text_and_guidance_paragraph_stands_under_its_own_code(seed_lines, data):
    blocks = seed_blocks(seed_lines)
    misplaced = []
    for entity in entities(data):
        code = entity["code"].split("-")[0]
        # Where the seed prints a summary's guidance before its code line (D3S), the
        # guidance sits at the end of the block before it.
        own = [i for i, (c, _) in enumerate(blocks) if c == code]
        assert own, f"{code} is not in the seed"
        near = "".join(blocks[j][1] for i in own for j in (i - 1, i))
        for piece in [entity["text"], *entity["guidance"]]:
            if squash(piece) not in near:
                misplaced.append(f"{entity['code']}: {piece[:60]}")
    assert misplaced == []


def test_every_word_of_the_seed_is_in_the_data(seed_lines, data):
    remainder = squash("\n".join(seed_lines))
    for text in sorted(all_texts(data), key=len, reverse=True):
        assert squash(text) in remainder, f"not in the seed (or used twice): {text[:80]}"
        remainder = remainder.replace(squash(text), "\n", 1)
    for piece in FURNITURE:
        remainder = remainder.replace(piece, "\n")
    leftovers = [
        piece
        for piece in remainder.split("\n")
        if piece and not re.fullmatch(r"([IAPDVR]\d{0,2}(\.|,)?\d{0,2}S?)+", piece)
    ]
    assert leftovers == []
