"""How a percentage becomes a rating, and a standard's rating follows from its key questions.

The bands and the standard's rule are the framework version's data (its file's `rating`);
this module is the one place that reads them, for the reports and the dashboard alike.
"""

from collections.abc import Callable, Sequence


def band_for(bands: Sequence, percent: float | None) -> str:
    """Return the label of the first band (highest first) whose minimum `percent` reaches."""
    if percent is None:
        return ""
    return next((b.label for b in bands if percent >= float(b.min_percent)), "")


def _lowest_key_question_band(bands: Sequence, key_question_bands: list[str]) -> str:
    order = [b.label for b in bands]
    rated = [band for band in key_question_bands if band]
    return max(rated, key=order.index) if rated else ""


# The rules a framework file may name in rating.standard_rule.
STANDARD_RULES: dict[str, Callable[[Sequence, list[str]], str]] = {
    "lowest_key_question_band": _lowest_key_question_band,
}
STANDARD_RULE_TEXT = {
    "lowest_key_question_band": "a standard takes the lowest rating of its key questions",
}


def standard_band(rule: str, bands: Sequence, key_question_bands: list[str]) -> str:
    """Return a standard's band under `rule`, from the bands of its key questions."""
    return STANDARD_RULES[rule](bands, key_question_bands)
