from django.contrib import admin

from audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log, to read and search; nobody adds, changes or deletes entries."""

    list_display = ["at", "username", "action", "object_type", "object_id", "address"]
    list_filter = ["action", "object_type"]
    search_fields = ["username", "object_id", "inspection_id"]
    date_hierarchy = "at"
    readonly_fields = [
        "at", "action", "user", "username", "address", "object_type", "object_id",
        "inspection_id", "detail",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
