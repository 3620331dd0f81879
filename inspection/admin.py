from django.contrib import admin

from inspection.models import Case, Inspection, Membership, Provider


class ProviderInline(admin.TabularInline):
    model = Provider
    extra = 0
    fields = ["kind", "name"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role"]
    autocomplete_fields = ["user"]


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "status", "framework_version", "fieldwork_start"]
    list_filter = ["status"]
    prepopulated_fields = {"slug": ["name"]}
    fields = [
        "name", "slug", "area", "framework_version", "status", "fieldwork_start", "fieldwork_end",
    ]  # fmt: skip
    inlines = [ProviderInline, MembershipInline]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["case_ref", "inspection", "provider", "supervision", "allocated_to"]
    list_filter = ["inspection", "provider", "supervision"]
    search_fields = ["case_ref"]
    fields = [
        "inspection", "case_ref", "provider", "gender", "date_of_birth", "age", "ethnicity",
        "supervision", "sentence_date", "release_date", "ogrs", "rosh", "mappa", "ldu",
        "allocated_to",
    ]  # fmt: skip
