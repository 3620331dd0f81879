"""The one rule for case references: the sample import, the case form and the dataset import ask it.

A case reference is an identifier: it is matched against the provider's systems,
sorted, exported and typed in again, so what a page shows must be exactly what
is stored. Only ASCII letters, digits, `- _ / .` and single spaces between them
are allowed: no accents that look like other letters, no invisible characters,
and no bidirectional controls (U+202E and friends) that would show a reference
reordered. Single spaces are allowed because the retention command anonymises
references as "Case 0001", and such datasets must import again.
"""

import re

from django.core.exceptions import ValidationError

from config.text import invisible_characters_problem

CASE_REF_MAX = 40
CASE_REF_RULE = (
    f"Use up to {CASE_REF_MAX} characters for the case reference: letters, digits, "
    "single spaces and - _ / . only, starting with a letter or digit."
)
CASE_REF_MISSING = "Enter the case reference."
_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_.-]*(?: [A-Za-z0-9/_.-]+)*", re.ASCII)


def case_ref_clean(text: str | None) -> str:
    """Return `text` as a case reference (outer spaces dropped), else raise ValidationError."""
    ref = (text or "").strip()
    if not ref:
        raise ValidationError(CASE_REF_MISSING, code="required")
    if problem := invisible_characters_problem(ref, what="the case reference"):
        raise ValidationError(f"{problem} {CASE_REF_RULE}", code="case_ref")
    if len(ref) > CASE_REF_MAX or not _PATTERN.fullmatch(ref):
        raise ValidationError(CASE_REF_RULE, code="case_ref")
    return ref


def validate_case_ref(text: str) -> None:
    """Raise ValidationError unless `text` is a case reference (a form field validator)."""
    case_ref_clean(text)
