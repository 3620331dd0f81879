from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from inspection.models import Inspection
from retention.services import inspections_due, retention_apply, retention_plan


class Command(BaseCommand):
    help = (
        "Delete (or with --anonymise, anonymise) the case data of inspections past their "
        "retention date, report files and history included. --dry-run lists what it would do."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list, change nothing")
        parser.add_argument(
            "--anonymise",
            action="store_true",
            help="keep the judgements without anything identifying, instead of deleting",
        )
        parser.add_argument("--inspection", help="only this inspection (its slug)")
        parser.add_argument(
            "--today", type=date.fromisoformat, help="the date to judge by (YYYY-MM-DD)"
        )

    def handle(self, *args, dry_run, anonymise, inspection, today, **options):
        today = today or timezone.localdate()
        mode = "anonymised" if anonymise else "deleted"
        due = inspections_due(today=today, mode=mode)
        if inspection is not None:
            chosen = Inspection.objects.filter(slug=inspection).first()
            if chosen is None:
                raise CommandError(f"No inspection {inspection!r}.")
            if chosen not in due:
                if chosen.case_data_removed:
                    removed = chosen.case_data_removed
                    raise CommandError(f"{chosen}'s case data is already {removed}.")
                kept = chosen.retain_until or "no retention date is set"
                raise CommandError(f"{chosen} keeps its case data until {kept}.")
            due = [chosen]
        if not due:
            self.stdout.write(f"No inspection's case data is due for removal on {today}.")
            return
        verb = "Would remove" if dry_run else "Removed"
        for each in due:
            try:
                plan = (
                    retention_plan(inspection=each, mode=mode)
                    if dry_run
                    else retention_apply(inspection=each, mode=mode, today=today)
                )
            except ValidationError as refused:
                raise CommandError(" ".join(refused.messages)) from refused
            action = "would be " if dry_run else ""
            self.stdout.write(
                f"{verb} the case data of {each} ({each.slug}, kept until {each.retain_until}); "
                f"it {action}{mode}:"
            )
            for line in plan.lines():
                self.stdout.write(f"  {line}")
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
