"""The report writer's narrative: its three sections, and how much each may hold."""

from casereview.answers.values import clean_text

# A bulletin's summary runs to about 1,500 words (10,000 characters); twice that leaves room
# for a long area report while keeping the PDF's layout (and a pasted document) in bounds.
NARRATIVE_LIMIT = 20_000
SECTIONS = {
    "summary": "the summary",
    "key_findings": "the key findings",
    "recommendations": "the recommendations",
}


def narrative_section_clean(name: str, text: str | None) -> str:
    """Return section `name` as it is stored, else raise ValidationError naming the section."""
    return clean_text(text or "", what=SECTIONS[name], limit=NARRATIVE_LIMIT) or ""
