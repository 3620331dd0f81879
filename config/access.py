"""Every view says who may use it: a test walks the URL patterns and fails on one that does not.

The rule is a label for readers and for that test; the checks themselves are
in each view's access helper (object or 404/403) and in the services.
"""

RULES = {
    "public": "anyone, signed in or not (sign-in, sign-out)",
    "signed_in": "anyone signed in; content scoped to them",
    "member": "members of the inspection; each sees their part",
    "allocated_inspector": "the inspector the case is allocated to",
    "moderator": "the inspector given the moderation",
    "lead": "lead inspectors of the inspection (and admins)",
    "report": "lead inspectors and report writers of the inspection (and admins)",
}


def access(rule: str):
    """Mark a view with its access rule (see RULES)."""
    if rule not in RULES:
        raise ValueError(f"Unknown access rule {rule!r}")

    def mark(view):
        view.access_rule = rule
        return view

    return mark
