from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportjob",
            name="sent_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        # Jobs from before were sent when asked for; the sweep treats them as before.
        migrations.RunSQL(
            "UPDATE reports_reportjob SET sent_at = requested_at",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
