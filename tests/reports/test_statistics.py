"""Forward stepwise logistic regression on data whose answer is known."""

import pandas as pd

from reports.statistics import MINIMUM_CASES, findings


def frame(rows) -> pd.DataFrame:
    columns = ["kq", "y", "provider", "gender", "age_group", "ethnicity", "supervision",
               "ogrs_band", "rosh_level"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def built(n=200) -> pd.DataFrame:
    """RoSH decides: 90% yes where high, 30% where low; gender is balanced within every block."""
    rows = []
    for i in range(n):
        high = i < n // 2
        yes = (i % 10 != 0) if high else (i % 10 < 3)
        gender = "male" if (i // 10) % 2 == 0 else "female"
        rows.append(["A1", int(yes), "crc", gender, "30-39", "white", "community", "low",
                     "high" if high else "low"])  # fmt: skip
    return frame(rows)


def test_the_characteristic_that_decides_is_found_and_no_other():
    (found,) = findings(built(), ["A1"]).values()

    assert [name for name, _ in found.significant] == ["rosh_level"]
    assert found.significant[0][1] < 0.001
    assert "differed significantly by RoSH level (p = 0.000)" in found.sentence()


def test_nothing_is_significant_when_nothing_decides():
    data = built()
    data["y"] = [int(i % 10 < 6) for i in range(len(data))]  # 60% everywhere, block by block

    (found,) = findings(data, ["A1"]).values()

    assert found.ran and found.significant == []
    assert found.sentence().startswith("No characteristic made a significant difference")


def test_too_few_cases_are_not_analysed():
    (found,) = findings(built(MINIMUM_CASES - 2), ["A1"]).values()

    assert not found.ran
    assert found.sentence() == (
        f"Too few cases ({MINIMUM_CASES - 2}) to test which characteristics make a difference."
    )


def test_cases_with_a_characteristic_not_recorded_are_left_out_of_its_models():
    data = built()
    data.loc[data.index % 7 == 0, "rosh_level"] = None  # not recorded for some

    (found,) = findings(data, ["A1"]).values()

    assert [name for name, _ in found.significant] == ["rosh_level"]
