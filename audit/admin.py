from django.contrib import admin

from audit.models import AuditEvent
from config.admin_base import ReadOnlyModelAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyModelAdmin):
    """The audit log, to read and search; nobody adds, changes or deletes entries."""

    list_display = ["at", "username", "action", "object_type", "object_id", "address"]
    list_filter = ["action", "object_type"]
    search_fields = ["username", "object_id", "inspection_id"]
    date_hierarchy = "at"
