from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from audit.database_roles import app_role_grant


class Command(BaseCommand):
    help = (
        "As the role that owns the tables (the one migrate runs as), grant ROLE what the web "
        "and workers need: ordinary reads and writes, but only INSERT and SELECT on the audit "
        "log. Run it again after each migrate; it changes nothing when nothing is new."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="the database role the web and workers connect as")

    def handle(self, *args, role, **options):
        try:
            granted = app_role_grant(role=role)
        except ValidationError as refused:
            raise CommandError(" ".join(refused.messages)) from refused
        self.stdout.write(
            f"{granted['role']} may read and write the {granted['tables']} tables that "
            f"{granted['owner']} owns, and only add to and read {granted['audit_table']}; "
            "tables that later migrations create are included."
        )
