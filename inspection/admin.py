from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import models

from audit.models import AuditEvent
from audit.services import audit_record
from config.admin_base import ProjectModelAdmin, described
from inspection.models import SAMPLE_FIELDS, Case, Inspection, Membership, Provider


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
class InspectionAdmin(ProjectModelAdmin):
    list_display = ["name", "area", "status", "framework_version", "fieldwork_start"]
    list_filter = ["status"]
    prepopulated_fields = {"slug": ["name"]}
    fields = [
        "name",
        "slug",
        "area",
        "framework_version",
        "status",
        "fieldwork_start",
        "fieldwork_end",
        "retain_until",
        "case_data_removed",
        "case_data_removed_at",
    ]
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
        action=AuditEvent.Action.ROLE_CHANGED,
        request=request,
        obj=user,
        inspection=inspection,
        detail={"from": old_role, "to": new_role, "via": "admin"},
    )


@admin.register(Case)
class CaseAdmin(ProjectModelAdmin):
    list_display = ["case_ref", "inspection", "provider", "supervision", "allocated_to"]
    list_filter = ["inspection", "provider", "supervision"]
    search_fields = ["case_ref"]
    fields = [
        "inspection",
        *SAMPLE_FIELDS,
        "allocated_to",
    ]

    def save_model(self, request, obj, form, change):
        """Save the case; a change of allocation goes in the audit log."""
        before = Case.objects.filter(pk=obj.pk).select_related("allocated_to").first()
        super().save_model(request, obj, form, change)
        old = before.allocated_to if before else None
        if old != obj.allocated_to:
            audit_record(
                action=AuditEvent.Action.ALLOCATION_CHANGED,
                request=request,
                obj=obj,
                detail={
                    "from": old.get_username() if old else None,
                    "to": obj.allocated_to.get_username() if obj.allocated_to else None,
                    "via": "admin",
                },
            )


User = get_user_model()
ADMIN_FLAGS = ("is_active", "is_staff", "is_superuser")
DEACTIVATE_ADVICE = (
    "Deactivate the account instead: untick “Active” on the user's page, or choose "
    "“Deactivate selected users” in the list of users. A deactivated user cannot sign in, "
    "and the record keeps their name."
)


def roles_and_records(users) -> dict[type[models.Model], int]:
    """Return {model: count} of what ties `users` to the record: roles held, case data written.

    Every relation to a user from a model outside Django's own apps counts (memberships,
    cases allocated, answers, history, queries, decisions, moderations, report jobs), so
    a model added later counts too. The audit log's does not: it outlives people.
    """
    pks = users.values("pk") if isinstance(users, models.QuerySet) else [u.pk for u in users]
    counts: dict[type[models.Model], int] = {}
    for relation in User._meta.related_objects:
        model = relation.related_model
        if model._meta.app_config.name.startswith("django.") or (
            relation.on_delete is models.DO_NOTHING
        ):
            continue
        number = model._default_manager.filter(**{f"{relation.field.name}__in": pks}).count()
        if number:
            counts[model] = counts.get(model, 0) + number
    return counts


class AuditedUserAdmin(ProjectModelAdmin, UserAdmin):
    """Django's user admin: making someone an administrator, or undoing it, is audited, and
    nobody who holds a role or is named in case data is deleted (deactivate them instead)."""

    actions = ["deactivate"]

    def save_model(self, request, obj, form, change):
        before = User.objects.filter(pk=obj.pk).values(*ADMIN_FLAGS).first() or {}
        super().save_model(request, obj, form, change)
        after = {flag: getattr(obj, flag) for flag in ADMIN_FLAGS}
        changed = {flag: value for flag, value in after.items() if before.get(flag) != value}
        if changed and change:
            _admin_flags_changed(request, obj, changed)

    def deletion_refusal(self, request, deleting):
        ties = roles_and_records(deleting)
        if not ties:
            return super().deletion_refusal(request, deleting)
        who, _ = self._naming(deleting)
        return (
            f"{who} cannot be deleted while they hold a role or are named in case data "
            f"({described(ties)}). {DEACTIVATE_ADVICE}",
            ties,
        )

    @admin.action(description="Deactivate selected users (they can no longer sign in)")
    def deactivate(self, request, queryset):
        if queryset.filter(pk=request.user.pk).exists():
            self.message_user(request, "You cannot deactivate yourself.", messages.ERROR)
            return
        users = list(queryset.filter(is_active=True))
        for user in users:
            user.is_active = False
            user.save(update_fields=["is_active"])
            _admin_flags_changed(request, user, {"is_active": False})
        self.message_user(
            request,
            f"{len(users)} user{'s' if len(users) != 1 else ''} "
            "deactivated: they can no longer sign in.",
        )


def _admin_flags_changed(request, user, changed: dict[str, bool]) -> None:
    audit_record(
        action=AuditEvent.Action.ROLE_CHANGED,
        request=request,
        obj=user,
        detail={"to": changed, "via": "admin"},
    )


admin.site.unregister(User)
admin.site.register(User, AuditedUserAdmin)
