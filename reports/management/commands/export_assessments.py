from django.core.management.base import BaseCommand, CommandError

from audit.models import AuditEvent
from audit.services import audit_record
from inspection.models import Inspection
from reports.datasets import write_dataset


class Command(BaseCommand):
    help = (
        "Write an inspection's cases and answers as the assessment dataset CSV to standard output."
    )

    def add_arguments(self, parser):
        parser.add_argument("--inspection", required=True, help="the inspection's slug")

    def handle(self, *args, inspection, **options):
        found = (
            Inspection.objects.filter(slug=inspection).select_related("framework_version").first()
        )
        if found is None:
            raise CommandError(f"No inspection {inspection!r}.")
        rows = write_dataset(found, self.stdout)
        audit_record(
            action=AuditEvent.Action.EXPORTED,
            obj=found,
            inspection=found,
            detail={"dataset": "assessments", "rows": rows, "via": "export_assessments"},
        )
