from django.apps import AppConfig


class RetentionConfig(AppConfig):
    """Removing case data past its retention date; it sits above every other app."""

    name = "retention"
