"""Forward stepwise logistic regression on data whose answer is known."""

import pandas as pd

from reports.statistics import findings
from standards.characteristics import characteristics
from standards.framework_file import REPORT_DEFAULTS

VARIABLES = characteristics([*REPORT_DEFAULTS["columns"], *REPORT_DEFAULTS["rows"]])
MINIMUM_CASES = REPORT_DEFAULTS["analysis_minimum"]


def frame(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["kq", "y", *(v.key for v in VARIABLES)])


def found_for(data):
    (found,) = findings(data, ["A1"], variables=VARIABLES, minimum=MINIMUM_CASES).values()
    return found


def built(n=200) -> pd.DataFrame:
    """RoSH decides: 90% yes where high, 30% where low; gender is balanced within every block."""
    rows = []
    for i in range(n):
        high = i < n // 2
        yes = (i % 10 != 0) if high else (i % 10 < 3)
        gender = "male" if (i // 10) % 2 == 0 else "female"
        rosh = "high" if high else "low"
        rows.append(["A1", int(yes), "crc", gender, "30_39", "white", "community", "low", rosh])
    return frame(rows)


def test_the_characteristic_that_decides_is_found_and_no_other():
    found = found_for(built())

    assert [name for name, _ in found.significant] == ["rosh_level"]
    assert found.significant[0][1] < 0.001
    assert "differed significantly by RoSH level (p = 0.000)" in found.sentence()


def test_nothing_is_significant_when_nothing_decides():
    data = built()
    data["y"] = [int(i % 10 < 6) for i in range(len(data))]  # 60% everywhere, block by block

    found = found_for(data)

    assert found.ran and found.significant == []
    assert found.sentence().startswith("No characteristic made a significant difference")


def test_too_few_cases_are_not_analysed():
    found = found_for(built(MINIMUM_CASES - 2))

    assert not found.ran
    assert found.sentence() == (
        f"Too few cases ({MINIMUM_CASES - 2}) to test which characteristics make a difference."
    )


def test_cases_with_a_characteristic_not_recorded_are_left_out_of_its_models():
    data = built()
    data.loc[data.index % 7 == 0, "rosh_level"] = None  # not recorded for some

    found = found_for(data)

    assert [name for name, _ in found.significant] == ["rosh_level"]
