from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from standards.framework_file import FrameworkFileError, read_framework_file
from standards.services import FrameworkInUseError, bundled_framework_files, framework_load


class Command(BaseCommand):
    help = "Load the bundled framework files, or the framework file given, into the database."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path, help="framework YAML file(s)")

    def handle(self, *args, files, **options):
        paths = files or bundled_framework_files()
        if not paths:
            raise CommandError("No framework files found in standards/frameworks/.")
        for path in paths:
            try:
                result = framework_load(data=read_framework_file(path))
            except (FrameworkFileError, FrameworkInUseError) as error:
                raise CommandError(str(error)) from None
            version = result.version
            self.stdout.write(
                f"{path.name}: {version.framework} version {version.version} {result.outcome} "
                f"({version.questions.count()} questions, sub-fields and judgements)"
            )
