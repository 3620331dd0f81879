"""Views of the case review: the inspector's case form, and the lead inspector's review."""
