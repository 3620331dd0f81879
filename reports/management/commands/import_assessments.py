from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reports.datasets import dataset_import, importing_user
from standards.models import FrameworkVersion


class Command(BaseCommand):
    help = (
        "Import a historical assessment dataset (CSV) as agreed reviews of an inspection, "
        "created when new. Nothing is imported if any row is bad."
    )

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
            raise CommandError("No such published framework version: run load_framework first.")
        try:
            data = file.read_bytes()
            dataset = dataset_import(data=data, slug=inspection, version=version,
                                     by=importing_user(user))  # fmt: skip
        except (OSError, ValidationError) as error:
            raise CommandError(str(error)) from None
        if dataset.errors:
            raise CommandError(
                f"Nothing was imported: {len(dataset.errors)} problem(s).\n"
                + "\n".join(str(e) for e in dataset.errors)
            )
        self.stdout.write(f"{len(dataset.cases)} cases imported into {inspection}.")
