from django.db import migrations, models

# The layout every version had before files could say how their reports are laid out
# (standards.framework_file.REPORT_DEFAULTS, written out: a migration must not change).
BULLETIN_LAYOUT = {
    "columns": ["provider"],
    "rows": ["gender", "age_group", "ethnicity", "supervision", "ogrs_band", "rosh_level"],
    "caution_below": 10,
    "analysis_minimum": 30,
}


def lay_out_as_before(apps, schema_editor):
    apps.get_model("standards", "FrameworkVersion").objects.update(report_layout=BULLETIN_LAYOUT)


class Migration(migrations.Migration):
    dependencies = [("standards", "0002_checks_kept_with_the_version")]

    operations = [
        migrations.AddField(
            model_name="frameworkversion",
            name="report_layout",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(lay_out_as_before, migrations.RunPython.noop),
    ]
