from pathlib import Path

from django.conf import settings
from django.db import migrations, models

import reports.storage


def move_files_into_postgres(apps, schema_editor):
    """Copy PDFs from this machine's MEDIA_ROOT into Postgres; a job whose file is gone fails."""
    ReportJob, StoredFile = apps.get_model("reports", "ReportJob"), apps.get_model("reports", "StoredFile")
    for job in ReportJob.objects.exclude(file=""):
        path = Path(settings.MEDIA_ROOT) / job.file.name
        if path.is_file():
            data = path.read_bytes()
            StoredFile.objects.get_or_create(name=job.file.name, defaults={"content": data, "size": len(data)})
        else:
            ReportJob.objects.filter(pk=job.pk).update(
                status="failed", file="", error="Its file was kept on another machine: ask for the report again."
            )


def supersede_duplicate_jobs(apps, schema_editor):
    """Keep one live job per fingerprint (a finished one first, then the newest)."""
    ReportJob = apps.get_model("reports", "ReportJob")
    seen = set()
    live = ReportJob.objects.exclude(status="failed").order_by(
        "fingerprint", models.F("finished_at").desc(nulls_last=True), "-pk"
    )
    for job in live.only("pk", "fingerprint", "status"):
        if job.fingerprint in seen:
            ReportJob.objects.filter(pk=job.pk).update(fingerprint=f"superseded-{job.pk}")
        seen.add(job.fingerprint)


class Migration(migrations.Migration):

    dependencies = [
        ('inspection', '0002_retention'),
        ('reports', '0002_reportjob_sent_at'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='StoredFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=255, unique=True)),
                ('content', models.BinaryField()),
                ('size', models.PositiveIntegerField()),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.AddField(
            model_name='reportjob',
            name='heartbeat_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='reportjob',
            name='lease',
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name='reportjob',
            name='file',
            field=models.FileField(blank=True, storage=reports.storage.report_storage, upload_to='reports/'),
        ),
        migrations.RunPython(move_files_into_postgres, migrations.RunPython.noop),
        migrations.RunPython(supersede_duplicate_jobs, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='reportjob',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'failed'), _negated=True), fields=('fingerprint',), name='one_live_report_job_per_fingerprint'),
        ),
    ]
