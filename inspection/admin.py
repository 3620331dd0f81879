from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from audit.models import AuditEvent
from audit.services import audit_record
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
        "retain_until", "case_data_removed", "case_data_removed_at",
    ]  # fmt: skip
    readonly_fields = ["case_data_removed", "case_data_removed_at"]
    inlines = [ProviderInline, MembershipInline]

    def save_formset(self, request, form, formset, change):
        """Save the inline rows; every role given, changed or taken away goes in the audit log."""
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        before = {
            m.pk: (m.user, m.role)
            for m in Membership.objects.filter(inspection=form.instance).select_related("user")
        }
        super().save_formset(request, form, formset, change)
        after = {
            m.pk: (m.user, m.role)
            for m in Membership.objects.filter(inspection=form.instance).select_related("user")
        }
        for pk in before.keys() | after.keys():
            old_user, old_role = before.get(pk, (None, None))
            new_user, new_role = after.get(pk, (None, None))
            if old_user != new_user and old_user is not None:  # the row now names someone else
                _role_changed(request, form.instance, old_user, old_role, None)
                old_role = None
            if old_role != new_role:
                _role_changed(request, form.instance, new_user or old_user, old_role, new_role)


def _role_changed(request, inspection, user, old_role, new_role):
    audit_record(
        action=AuditEvent.Action.ROLE_CHANGED, request=request, obj=user, inspection=inspection,
        detail={"from": old_role, "to": new_role, "via": "admin"},
    )  # fmt: skip


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

    def save_model(self, request, obj, form, change):
        """Save the case; a change of allocation goes in the audit log."""
        before = Case.objects.filter(pk=obj.pk).select_related("allocated_to").first()
        super().save_model(request, obj, form, change)
        old = before.allocated_to if before else None
        if old != obj.allocated_to:
            audit_record(
                action=AuditEvent.Action.ALLOCATION_CHANGED, request=request, obj=obj,
                detail={
                    "from": old.get_username() if old else None,
                    "to": obj.allocated_to.get_username() if obj.allocated_to else None,
                    "via": "admin",
                },
            )  # fmt: skip


User = get_user_model()
ADMIN_FLAGS = ("is_active", "is_staff", "is_superuser")


class AuditedUserAdmin(UserAdmin):
    """Django's user admin; making someone an administrator, or undoing it, is audited."""

    def save_model(self, request, obj, form, change):
        before = User.objects.filter(pk=obj.pk).values(*ADMIN_FLAGS).first() or {}
        super().save_model(request, obj, form, change)
        after = {flag: getattr(obj, flag) for flag in ADMIN_FLAGS}
        changed = {flag: value for flag, value in after.items() if before.get(flag) != value}
        if changed and change:
            audit_record(
                action=AuditEvent.Action.ROLE_CHANGED, request=request, obj=obj,
                detail={"to": changed, "via": "admin"},
            )  # fmt: skip


admin.site.unregister(User)
admin.site.register(User, AuditedUserAdmin)
