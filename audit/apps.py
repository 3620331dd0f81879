from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"

    def ready(self):
        # Sign-ins happen in Django's and the admin's views; its signals are the one
        # place every way in passes, so the receivers only record what they are told.
        from audit import receivers  # noqa: F401
