import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from audit.models import AuditEvent
from audit.services import audit_record
from inspection.models import Inspection
from reports.datasets import dataset_import, importing_user
from standards.models import FrameworkVersion


class Command(BaseCommand):
    help = (
        "Import a historical assessment dataset (CSV) as agreed reviews of an inspection, "
        "created when new. Nothing is imported if any row is bad. Progress goes to standard "
        "error; the last line says what was imported, or that nothing was and why."
    )
    # The system checks import every page's code (the PDF and statistics libraries), which
    # an import never uses: ten seconds and 150 MB before the first row is read.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--inspection", required=True, help="the inspection's slug")
        parser.add_argument("--framework-version", help="for a new inspection (default: newest)")
        parser.add_argument("--user", default="admin", help="recorded as the importer")

    def handle(self, *args, file, inspection, framework_version=None, user="admin", **options):
        versions = FrameworkVersion.objects.filter(status="published").order_by("-loaded_at")
        version = (
            versions.filter(version=framework_version).first()
            if framework_version
            else (versions.first())
        )
        if version is None:
            raise CommandError(
                "Nothing was imported: no such published framework version (run load_framework "
                "first)."
            )
        self.started = time.monotonic()
        try:
            by = importing_user(user)
            with file.open("rb") as data:
                dataset = dataset_import(
                    data=data, slug=inspection, version=version, by=by, progress=self._progress
                )
        except OSError as error:
            raise CommandError(
                f"Nothing was imported: {file} cannot be read ({error.strerror or error})."
            ) from None
        except ValidationError as error:
            raise CommandError(f"Nothing was imported: {' '.join(error.messages)}") from None
        except DatabaseError as error:  # e.g. the same new inspection imported at the same time
            reason = str(error).strip().splitlines()[0]
            message = f"Nothing was imported: the database gave an error ({reason})."
            raise CommandError(message) from None
        if dataset.error_count:
            for problem in dataset.errors:
                self.stderr.write(str(problem))
            if dataset.more_errors:
                self.stderr.write(f"... and {dataset.more_errors:,} more.")
            raise CommandError(
                f"Nothing was imported: {dataset.error_count:,} problem(s) in {file.name}, "
                "listed above."
            )
        imported_into = Inspection.objects.get(slug=inspection)
        audit_record(
            action=AuditEvent.Action.IMPORTED,
            user=by,
            obj=imported_into,
            inspection=imported_into,
            detail={
                "via": "import_assessments",
                "cases": dataset.cases_created,
                "answers": dataset.answers_created,
            },
        )
        created = "1 inspection created" if dataset.inspection_created else "0 inspections created"
        self.stdout.write(
            f"Imported into {inspection}: {created}, {dataset.cases_created:,} cases (agreed "
            f"reviews), {dataset.answers_created:,} answers."
        )

    def _progress(self, line: str) -> None:
        self.stderr.write(f"[{time.monotonic() - self.started:5.0f} s] {line}", style_func=str)
