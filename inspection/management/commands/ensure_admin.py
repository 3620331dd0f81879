import os

from django.core.management.base import BaseCommand

from inspection.services import admin_user_ensure


class Command(BaseCommand):
    help = (
        "Create the admin login if it is missing and print it. ADMIN_PASSWORD, when set, "
        "is (re)applied; otherwise a new admin gets a random password."
    )

    def handle(self, *args, **options):
        password, changed = admin_user_ensure(password=os.environ.get("ADMIN_PASSWORD") or None)
        if changed:
            self.stdout.write(f"Admin login: admin / {password}")
        else:
            self.stdout.write(
                "Admin login: admin (password unchanged; set ADMIN_PASSWORD to reset)"
            )
