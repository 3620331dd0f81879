from django.contrib import admin

from inspection.models import Inspection


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "framework_version", "created_at"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "framework_version"]
