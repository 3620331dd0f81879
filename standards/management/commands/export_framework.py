from django.core.management.base import BaseCommand, CommandError

from standards.export import write_data_dictionary
from standards.selectors import framework_version_get, framework_versions


class Command(BaseCommand):
    help = "Write a framework version as a data-dictionary CSV to standard output."

    def add_arguments(self, parser):
        parser.add_argument("--framework", help="framework slug (default: the newest loaded)")
        parser.add_argument("--framework-version", help="version, e.g. 2018.1")

    def handle(self, *args, framework=None, framework_version=None, **options):
        if framework and framework_version:
            version = framework_version_get(framework=framework, version=framework_version)
        else:
            versions = framework_versions().order_by("-loaded_at")
            if framework:
                versions = versions.filter(framework=framework)
            if framework_version:
                versions = versions.filter(version=framework_version)
            version = versions.first()
        if version is None:
            raise CommandError(
                "No such framework version is loaded: run `python manage.py load_framework` first."
            )
        write_data_dictionary(version, self.stdout)
