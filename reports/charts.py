"""Charts for the PDF as plain SVG: bars of % judged sufficient, text in an explicit font."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from reports.aggregation import ALL_CASES, KeyQuestionTable

FONT = "Liberation Sans, Arial, sans-serif"


def bar_chart(table: KeyQuestionTable) -> SafeString:
    """Return an SVG bar per row of the table's All cases column (empty rows left out)."""
    rows = [(row.group, row.label, row.cells[0]) for row in table.rows if row.cells[0].n]
    bar_height, gap, label_width, width = 12, 4, 170, 460
    height = len(rows) * (bar_height + gap) + 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="8" role="img" '
        f'aria-label="% judged sufficient by characteristic, {escape(table.key_question.code)}">'
    ]
    scale = (width - label_width - 40) / 100
    for index, (group, label, cell) in enumerate(rows):
        y = index * (bar_height + gap)
        name = label if group == ALL_CASES else f"{group}: {label}"
        parts.append(
            f'<text x="{label_width - 4}" y="{y + bar_height - 3}" text-anchor="end">'
            f"{escape(name)}</text>"
            f'<rect x="{label_width}" y="{y}" width="{cell.percent * scale:.1f}" '
            f'height="{bar_height}" fill="{"#1d70b8" if not cell.small else "#9fb7cd"}"/>'
            f'<text x="{label_width + cell.percent * scale + 3:.1f}" y="{y + bar_height - 3}">'
            f"{cell.percent:.1f}%</text>"
        )
    axis_y = len(rows) * (bar_height + gap) + 4
    for tick in (0, 50, 80, 100):
        x = label_width + tick * scale
        parts.append(
            f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{axis_y}" stroke="#b1b4b6" '
            f'stroke-width="0.5"/><text x="{x:.1f}" y="{axis_y + 10}" text-anchor="middle">'
            f"{tick}%</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text in it is escaped above
