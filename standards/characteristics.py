"""The characteristics of a case that reports break results down by, each defined once.

A characteristic names the case's field it reads and its groups: each group either a set
of the field's values or a range of a number (both ends included). The same definition
filters in SQL (`Group.filter`), places a case in the regression (`Characteristic.group_of`)
and labels the tables. A framework version's `report` says which characteristics are the
tables' columns and rows (standards/framework_file.py); conditions test the fields of
CONDITION_FIELDS (standards/conditions.py).

The values are those of inspection.models.Case's fields; a test holds the two together.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    values: tuple = ()
    low: int | None = None
    high: int | None = None  # None: no upper end
    only: str = ""  # how a condition limited to the group reads, e.g. "NPS cases only"

    def filter(self, field: str) -> Q:
        """Return the condition on `field` (a lookup path ending in the case's field)."""
        if self.values:
            return Q(**{f"{field}__in": list(self.values)})
        bounds = {f"{field}__gte": self.low}
        if self.high is not None:
            bounds[f"{field}__lte"] = self.high
        return Q(**bounds)

    def contains(self, value: Any) -> bool:
        if value is None or value == "":
            return False
        if self.values:
            return value in self.values
        return self.low <= value and (self.high is None or value <= self.high)


@dataclass(frozen=True)
class Characteristic:
    key: str
    field: str  # the case's field
    label: str  # as a table heading: "Age group"
    named: str  # within a sentence: "age group"
    groups: tuple[Group, ...]

    def filter(self, group: Group, *, through: str = "") -> Q:
        """Return the condition selecting `group`'s cases, reached `through` a relation."""
        return group.filter(f"{through}{self.field}")

    def group_of(self, value: Any) -> str | None:
        """Return the key of the group that `value` falls in, or None (not recorded)."""
        return next((g.key for g in self.groups if g.contains(value)), None)

    def __str__(self):
        return self.key

    def values(self) -> tuple:
        return tuple(value for group in self.groups for value in group.values)


def _ranges(*bins: tuple[str, str, int, int | None]) -> tuple[Group, ...]:
    return tuple(Group(key, label, low=low, high=high) for key, label, low, high in bins)


CHARACTERISTICS = {
    c.key: c
    for c in [
        Characteristic(
            "provider",
            "provider",
            "Provider",
            "provider",
            (
                Group("crc", "CRC cases", ("crc",), only="CRC cases only"),
                Group("nps", "NPS cases", ("nps",), only="NPS cases only"),
            ),
        ),
        Characteristic(
            "gender",
            "gender",
            "Gender",
            "gender",
            (Group("male", "Male", ("male",)), Group("female", "Female", ("female",))),
        ),
        Characteristic(
            "age_group",
            "age",
            "Age group",
            "age group",
            _ranges(
                ("18_20", "18-20", 18, 20),
                ("21_24", "21-24", 21, 24),
                ("25_29", "25-29", 25, 29),
                ("30_39", "30-39", 30, 39),
                ("40_49", "40-49", 40, 49),
                ("50_plus", "50+", 50, None),
            ),
        ),
        Characteristic(
            "ethnicity",
            "ethnicity",
            "Ethnic group",
            "ethnic group",
            tuple(
                Group(value, value.capitalize(), (value,))
                for value in ("white", "black", "asian", "mixed", "other")
            ),
        ),
        Characteristic(
            "supervision",
            "supervision",
            "Supervision type",
            "supervision type",
            (
                Group(
                    "community",
                    "Community sentence",
                    ("community",),
                    only="community sentences only",
                ),
                Group(
                    "post_custody",
                    "Post-custody",
                    ("post_custody",),
                    only="post-custody cases only",
                ),
            ),
        ),
        Characteristic(
            "ogrs_band",
            "ogrs",
            "OGRS band",
            "OGRS band",
            _ranges(
                ("low", "Low (0-49)", 0, 49),
                ("medium", "Medium (50-74)", 50, 74),
                ("high", "High/Very high (75+)", 75, None),
            ),
        ),
        Characteristic(
            "rosh_level",
            "rosh",
            "RoSH level",
            "RoSH level",
            (
                Group("low", "Low", ("low",)),
                Group("medium", "Medium", ("medium",)),
                Group("high", "High/Very high", ("high", "very_high")),
            ),
        ),
        Characteristic(
            "mappa",
            "mappa",
            "MAPPA",
            "MAPPA eligibility",
            (Group("yes", "MAPPA cases", (True,)), Group("no", "Not MAPPA cases", (False,))),
        ),
    ]
}
# The case fields that conditions may test ({case: FIELD, is: VALUE}).
CONDITION_FIELDS = ("supervision", "provider")


def characteristic_group(reference: str) -> tuple[Characteristic, Group]:
    """Return the characteristic and group named "CHARACTERISTIC.GROUP", or raise KeyError."""
    key, _, group_key = reference.partition(".")
    characteristic = CHARACTERISTICS[key]
    for group in characteristic.groups:
        if group.key == group_key:
            return characteristic, group
    raise KeyError(reference)


def characteristics(keys: Iterable[str]) -> list[Characteristic]:
    return [CHARACTERISTICS[key] for key in keys]
