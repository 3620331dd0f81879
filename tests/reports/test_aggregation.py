"""The report tables against hand-computed figures: empty subgroups, characteristics not
recorded, not-applicable and blank judgements, agreed against submitted cases."""

import pytest

from reports.aggregation import Cell, key_question_tables
from standards.selectors import report_layout
from tests.reports.helpers import judged


def table(inspection, code="A1", **kwargs):
    tables = {t.key_question.code: t for t in key_question_tables([inspection], **kwargs)}
    return {(row.group, row.label): row.cells for row in tables[code].rows}


@pytest.fixture
def sample(inspection, inspector):
    """Seven cases, hand-counted below."""
    j = judged
    j(inspection, inspector, a1="yes", provider="crc", gender="male", age=19, ogrs=20, rosh="low")
    j(inspection, inspector, a1="no", provider="crc", gender="female", age=35, ogrs=60,
      rosh="high", supervision="post_custody")  # fmt: skip
    j(inspection, inspector, a1="yes", provider="nps", gender="male", age=52, ogrs=80,
      rosh="very_high", ethnicity="black")  # fmt: skip
    # characteristics not recorded: counted in All cases only
    j(inspection, inspector, a1="yes", provider="", gender="", age=None, ethnicity="",
      supervision="", ogrs=None, rosh="")  # fmt: skip
    j(inspection, inspector, a1="na", provider="crc")  # not applicable: not counted
    j(inspection, inspector, a1=None, provider="crc")  # no judgement: not counted
    j(inspection, inspector, status="submitted", a1="no", provider="nps")  # not agreed


def test_all_cases_count_agreed_judgements_made(sample, inspection):
    cells = table(inspection)

    assert cells[("All cases", "All cases")] == [Cell(4, 3), Cell(2, 1), Cell(1, 1)]
    assert cells[("All cases", "All cases")][0].percent == 75.0


def test_rows_by_characteristic_and_provider(sample, inspection):
    cells = table(inspection)

    assert cells[("Gender", "Male")] == [Cell(2, 2), Cell(1, 1), Cell(1, 1)]
    assert cells[("Gender", "Female")] == [Cell(1, 0), Cell(1, 0), Cell(0, 0)]
    assert cells[("Age group", "18-20")] == [Cell(1, 1), Cell(1, 1), Cell(0, 0)]
    assert cells[("Age group", "30-39")] == [Cell(1, 0), Cell(1, 0), Cell(0, 0)]
    assert cells[("Age group", "50+")] == [Cell(1, 1), Cell(0, 0), Cell(1, 1)]
    assert cells[("Ethnic group", "White")] == [Cell(2, 1), Cell(2, 1), Cell(0, 0)]
    assert cells[("Ethnic group", "Black")] == [Cell(1, 1), Cell(0, 0), Cell(1, 1)]
    assert cells[("Supervision type", "Post-custody")] == [Cell(1, 0), Cell(1, 0), Cell(0, 0)]
    assert cells[("OGRS band", "Medium (50-74)")] == [Cell(1, 0), Cell(1, 0), Cell(0, 0)]
    assert cells[("OGRS band", "High/Very high (75+)")] == [Cell(1, 1), Cell(0, 0), Cell(1, 1)]
    assert cells[("RoSH level", "High/Very high")] == [Cell(2, 1), Cell(1, 0), Cell(1, 1)]


def test_an_empty_subgroup_has_no_percentage(sample, inspection):
    mixed = table(inspection)[("Ethnic group", "Mixed")][0]

    assert (mixed.n, mixed.percent, mixed.interval()) == (0, None, None)


def test_not_recorded_characteristics_count_in_all_cases_only(sample, inspection):
    cells = table(inspection)
    total = cells[("All cases", "All cases")][0].n

    for group in ("Gender", "Age group", "Ethnic group", "Supervision type", "OGRS band",
                  "RoSH level"):  # fmt: skip
        in_group = sum(cells[key][0].n for key in cells if key[0] == group)
        assert in_group == total - 1, group


def test_a_draft_counts_submitted_cases_too(sample, inspection):
    assert table(inspection, final=False)[("All cases", "All cases")][0] == Cell(5, 3)


def test_wilson_interval_and_the_small_group_caution():
    # Wilson 95% for 3 of 4: 30.1% to 95.4% (hand-computed with z = 1.96)
    assert Cell(4, 3).interval() == (30.1, 95.4)
    assert Cell(4, 3, 10).small and not Cell(10, 3, 10).small and not Cell(0, 0, 10).small


def test_one_query_whatever_the_number_of_cases(sample, inspection, inspector,
                                               django_assert_num_queries):  # fmt: skip
    layout = report_layout(versions=[inspection.framework_version])
    with django_assert_num_queries(2):
        key_question_tables([inspection], layout=layout)
    for _ in range(5):
        judged(inspection, inspector)
    with django_assert_num_queries(2):
        key_question_tables([inspection], layout=layout)
