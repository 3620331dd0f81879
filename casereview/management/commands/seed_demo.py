import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from casereview.demo import demo_seed

DEFAULT_PASSWORD = "demo-inspection-2018"  # noqa: S105 - a demo login, refused with DEBUG off


class Command(BaseCommand):
    help = (
        "Create the demo inspection (about 60 cases) and the users admin, lead, inspector1, "
        "inspector2 and writer with the password in DEMO_PASSWORD. Only with DEBUG on."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo creates known logins: it runs only with DEBUG on.")
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
        result = demo_seed(password=password)
        state = "created" if result.created else "already there, left as it is"
        self.stdout.write(f"Demo inspection {result.inspection.name}: {state}.")
        self.stdout.write(
            f"Demo logins: admin, lead, inspector1, inspector2, writer / {password}"
            + ("" if os.environ.get("DEMO_PASSWORD") else " (set DEMO_PASSWORD to change it)")
        )
