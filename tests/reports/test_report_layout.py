"""The report's bands, columns and minimum sizes follow the framework file: one edit there."""

import pytest
from django.core.exceptions import ValidationError

from casereview.dashboard.selectors import figures
from reports.data import report_data
from reports.pdf import report_html
from reports.services import report_request
from standards.services import framework_load_file
from tests.conftest import member
from tests.factories import InspectionFactory, MembershipFactory
from tests.reports.helpers import judged


def edited(framework_copy, *replacements):
    text = framework_copy.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    framework_copy.write_text(text, encoding="utf-8")
    return framework_load_file(path=framework_copy).version


def seventy_percent(version):
    """An inspection on `version` whose A1 was judged sufficient in 7 of 10 agreed cases."""
    inspection = InspectionFactory(framework_version=version)
    inspector = member(inspection, "inspector1", "inspector")
    for i in range(10):
        judged(inspection, inspector, a1="yes" if i < 7 else "no", provider="crc")
    return inspection


def a1_rating(inspection):
    data = report_data([inspection])
    return next(r for r in data.key_question_ratings if r.code == "A1"), data


@pytest.mark.django_db
def test_a_band_threshold_changed_in_the_file_changes_the_report_and_the_dashboard(
    framework_copy,
):
    as_bundled = seventy_percent(framework_load_file(path=framework_copy).version)
    rating, data = a1_rating(as_bundled)
    assert (rating.percent, rating.band) == (70.0, "Good")

    stricter = edited(
        framework_copy,
        ('version: "2018.1"', 'version: "2018.2"'),
        ("{key: good, label: Good, min_percent: 65}", "{key: good, label: Good, min_percent: 75}"),
    )
    inspection = seventy_percent(stricter)
    rating, data = a1_rating(inspection)

    assert rating.band == "Requires improvement"
    standard = next(r for r in data.standard_ratings if r.code == "A")
    assert standard.band == "Requires improvement"  # the lowest of its key questions
    html = report_html(data)
    assert "Good at 75% to under 80%" in html
    assert "Requires improvement at 50% to under 75%" in html
    (a1,) = [f for f in figures(inspection=inspection) if f.key_question.code == "A1"]
    assert a1.agreed_band == "Requires improvement"


@pytest.mark.django_db
def test_the_columns_rows_and_caution_follow_the_file(framework_copy):
    version = edited(
        framework_copy,
        ("columns: [provider]", "columns: [supervision]"),
        (
            "rows: [gender, age_group, ethnicity, supervision, ogrs_band, rosh_level]",
            "rows: [provider, mappa]",
        ),
        ("caution_below: 10", "caution_below: 20"),
    )
    inspection = seventy_percent(version)
    data = report_data([inspection])
    (a1,) = [t for t in data.tables if t.key_question.code == "A1"]

    assert a1.columns == ["All cases", "Community sentence", "Post-custody"]
    assert [(row.group, row.label) for row in a1.rows] == [
        ("All cases", "All cases"),
        ("Provider", "CRC cases"),
        ("Provider", "NPS cases"),
        ("MAPPA", "MAPPA cases"),
        ("MAPPA", "Not MAPPA cases"),
    ]
    assert a1.total.small  # 10 cases, under the file's 20
    html = report_html(data)
    assert '<th class="num" colspan="2">Post-custody</th>' in html
    assert f'<th colspan="{a1.width}">MAPPA</th>' in html and a1.width == 7
    assert "fewer than 20 cases: read with caution" in html


@pytest.mark.django_db
def test_inspections_whose_versions_rate_differently_cannot_share_a_report(framework_copy):
    bundled = seventy_percent(framework_load_file(path=framework_copy).version)
    stricter = seventy_percent(
        edited(
            framework_copy,
            ('version: "2018.1"', 'version: "2018.2"'),
            ("min_percent: 65}", "min_percent: 75}"),
        )
    )
    writer = member(bundled, "writer", "writer")
    MembershipFactory(inspection=stricter, user=writer, role="writer")

    with pytest.raises(ValidationError, match="report on them separately"):
        report_request(inspections=[bundled, stricter], final=True, by=writer)
