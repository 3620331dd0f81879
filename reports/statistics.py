"""Which characteristics make a difference to a key question, the others accounted for.

As the bulletins' methodology annex describes: logistic regression with the
characteristics entered by forward stepwise selection (a variable enters at
p < .05 and leaves again at p > .10), each tested by a likelihood-ratio test.
Characteristics are categorical (dummy-coded), grouped as the report's tables
group them (standards.characteristics); a case with a characteristic not recorded
is left out of any model that uses it.
"""

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.db.models import F
from scipy.stats import chi2
from statsmodels.discrete.discrete_model import Logit
from statsmodels.tools.sm_exceptions import (
    ConvergenceWarning,
    PerfectSeparationError,
    PerfectSeparationWarning,
)

from casereview.models import Answer
from standards.characteristics import Characteristic
from standards.models import Question

ENTER, REMOVE = 0.05, 0.10


@dataclass(frozen=True)
class Finding:
    key_question: str
    cases: int
    significant: list[tuple[str, float]]  # (characteristic, p) in order of entry
    ran: bool = True
    named: dict[str, str] = field(default_factory=dict)  # characteristic -> its name in words

    def sentence(self) -> str:
        if not self.ran:
            return f"Too few cases ({self.cases}) to test which characteristics make a difference."
        if not self.significant:
            return (
                "No characteristic made a significant difference once the others were "
                "taken into account (logistic regression)."
            )
        named = [f"{self.named[name]} (p = {p:.3f})" for name, p in self.significant]
        listed = named[0] if len(named) == 1 else f"{', '.join(named[:-1])} and {named[-1]}"
        return (
            "Once the other characteristics were taken into account, the share judged "
            f"sufficient differed significantly by {listed} (logistic regression)."
        )


def judgements_frame(inspections, statuses, *, variables: list[Characteristic]) -> pd.DataFrame:
    """Return one row per summary judgement made (yes/no), with the case's group in each of
    `variables` (None where not recorded)."""
    fields = [f"review__case__{v.field}" for v in variables]
    rows = (
        Answer.objects.filter(
            review__case__inspection__in=inspections,
            review__status__in=statuses,
            question__kind=Question.Kind.SUMMARY,
            value__in=["yes", "no"],
        )
        .values_list("question__key_question__code", "value", *fields)
        .order_by(F("review__case_id"))
    )
    frame = pd.DataFrame(list(rows), columns=["kq", "value", *fields])
    frame["y"] = (frame["value"] == "yes").astype(int)
    for variable, name in zip(variables, fields, strict=True):
        frame[variable.key] = frame[name].map(variable.group_of, na_action="ignore")
    return frame[["kq", "y", *(v.key for v in variables)]]


def findings(
    frame: pd.DataFrame, key_questions: list[str], *, variables: list[Characteristic], minimum: int
) -> dict[str, Finding]:
    """Return, per key question, the characteristics the stepwise selection keeps.

    A key question judged in fewer than `minimum` cases is not analysed.
    """
    named = {v.key: v.named for v in variables}
    keys = list(named)
    result = {}
    for code in key_questions:
        data = frame[frame["kq"] == code]
        if len(data) < minimum or data["y"].nunique() < 2:
            result[code] = Finding(code, len(data), [], ran=False, named=named)
            continue
        result[code] = Finding(code, len(data), _stepwise(data, keys), named=named)
    return result


def _stepwise(data: pd.DataFrame, variables: list[str]) -> list[tuple[str, float]]:
    chosen: list[str] = []
    p_values: dict[str, float] = {}
    for _ in range(2 * len(variables)):  # each variable can enter and leave at most once
        candidates = {
            name: _lr_test(data, chosen, name) for name in variables if name not in chosen
        }
        candidates = {name: p for name, p in candidates.items() if p is not None}
        changed = False
        if candidates:
            best = min(candidates, key=candidates.get)
            if candidates[best] < ENTER:
                chosen.append(best)
                p_values[best] = candidates[best]
                changed = True
        for name in list(chosen):
            p = _lr_test(data, [c for c in chosen if c != name], name)
            if p is None or p > REMOVE:
                chosen.remove(name)
                changed = True
            else:
                p_values[name] = p
        if not changed:
            break
    return [(name, p_values[name]) for name in chosen]


def _lr_test(data: pd.DataFrame, base: list[str], added: str) -> float | None:
    """Return the p of adding `added` to a model of `base`, on cases with all of them recorded."""
    rows = data.dropna(subset=[*base, added])
    if rows[added].nunique() < 2 or rows["y"].nunique() < 2:
        return None
    reduced = _fit(rows, base)
    full = _fit(rows, [*base, added])
    if reduced is None or full is None:
        return None
    statistic = 2 * (full[0] - reduced[0])
    return float(chi2.sf(max(statistic, 0.0), full[1] - reduced[1]))


def _fit(rows: pd.DataFrame, names: list[str]) -> tuple[float, int] | None:
    """Return (log-likelihood, parameters) of a logistic model of y on `names`, or None."""
    if names:
        design = pd.get_dummies(rows[names].astype(str), drop_first=True, dtype=float)
    else:
        design = pd.DataFrame(index=rows.index)  # the intercept-only model
    design.insert(0, "const", 1.0)
    with warnings.catch_warnings():
        warnings.simplefilter(
            "ignore", (ConvergenceWarning, PerfectSeparationWarning, RuntimeWarning)
        )
        try:
            model = Logit(rows["y"].to_numpy(), design.to_numpy()).fit(disp=False, maxiter=100)
        except (np.linalg.LinAlgError, ValueError, PerfectSeparationError):
            return None
    if not np.isfinite(model.llf):
        return None
    return float(model.llf), design.shape[1]
