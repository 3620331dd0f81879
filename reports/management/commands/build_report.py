from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from inspection.models import Inspection
from reports.data import report_data
from reports.pdf import report_pdf


class Command(BaseCommand):
    help = "Build an inspection's report PDF (thematic when several inspections are named)."

    def add_arguments(self, parser):
        parser.add_argument("--inspection", action="append", required=True, dest="slugs")
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--draft", action="store_true", help="count submitted cases too")

    def handle(self, *args, slugs, out, draft=False, **options):
        inspections = list(
            Inspection.objects.filter(slug__in=slugs).select_related("framework_version")
        )
        missing = sorted(set(slugs) - {i.slug for i in inspections})
        if missing:
            raise CommandError(f"No inspection(s): {', '.join(missing)}.")
        try:
            data = report_data(inspections, final=not draft)
        except ValidationError as refused:
            raise CommandError(" ".join(refused.messages)) from None
        out.write_bytes(report_pdf(data))
        self.stdout.write(f"Report written to {out}.")
