"""Each characteristic is defined once: its SQL filter and its grouping in Python agree, and
its values are the case's own."""

import pytest

from inspection.models import Case
from standards.characteristics import CHARACTERISTICS, characteristic_group
from tests.factories import CaseFactory


@pytest.mark.parametrize("characteristic", CHARACTERISTICS.values(), ids=str)
def test_its_values_are_those_the_case_may_hold(characteristic):
    field = Case._meta.get_field(characteristic.field)
    if field.choices:
        assert set(characteristic.values()) <= {value for value, _ in field.choices}
    for group in characteristic.groups:
        assert group.values or group.low is not None, group


@pytest.mark.django_db
@pytest.mark.parametrize("characteristic", CHARACTERISTICS.values(), ids=str)
def test_sql_and_python_put_each_case_in_the_same_group(characteristic, inspection):
    cases = [
        CaseFactory(inspection=inspection, case_ref="C1", age=18, ogrs=49, rosh="very_high"),
        CaseFactory(inspection=inspection, case_ref="C2", age=50, ogrs=75, mappa=True),
        CaseFactory(inspection=inspection, case_ref="C3", age=None, ogrs=None, rosh="", mappa=None),
        CaseFactory(inspection=inspection, case_ref="C4", age=24, ogrs=0, mappa=False),
    ]
    for group in characteristic.groups:
        in_sql = set(
            Case.objects.filter(characteristic.filter(group)).values_list("case_ref", flat=True)
        )
        in_python = {
            c.case_ref
            for c in cases
            if characteristic.group_of(getattr(c, characteristic.field)) == group.key
        }
        assert in_sql == in_python, group


def test_a_group_is_named_by_characteristic_and_key():
    characteristic, group = characteristic_group("rosh_level.high")

    assert characteristic.label == "RoSH level"
    assert characteristic.group_of("very_high") == "high" and group.label == "High/Very high"
    with pytest.raises(KeyError):
        characteristic_group("rosh_level.extreme")
