from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    """Who did what to which object, and when. Rows are only ever added.

    It holds identifiers, never case text: the object is named by its public id,
    and `detail` carries only ids, roles and counts. Postgres refuses updates and
    deletes on this table (migration 0001), so not even the application can rewrite it.
    """

    class Action(models.TextChoices):
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Failed to sign in"
        SIGN_OUT = "sign_out", "Signed out"
        CASE_VIEWED = "case_viewed", "Viewed a case"
        # A page listing cases (the dashboard, the admin's list): one row per inspection
        # shown, with the number of cases, never their references.
        CASES_LISTED = "cases_listed", "Viewed a list of cases"
        EXPORTED = "exported", "Exported data"
        IMPORTED = "imported", "Imported cases"
        REPORT_DOWNLOADED = "report_downloaded", "Downloaded a report"
        ROLE_CHANGED = "role_changed", "Changed a role"
        ALLOCATION_CHANGED = "allocation_changed", "Changed an allocation"
        RETENTION = "retention", "Removed data past its retention date"
        DELETED = "deleted", "Deleted in the admin"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=32, choices=Action.choices, db_index=True)
    # No foreign key constraint: the log outlives the people and objects it names.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    username = models.CharField(max_length=150, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    object_type = models.CharField(max_length=32, blank=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    inspection_id = models.CharField(max_length=64, blank=True, db_index=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username or '-'} {self.action} {self.object_id}"
