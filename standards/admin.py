"""Frameworks in the admin: to look at, never to edit once published.

Frameworks come from versioned files through `load_framework`; the admin only
shows them, and lets a draft that nothing uses be deleted.
"""

from django.contrib import admin

from config.admin_base import ProjectModelAdmin, ReadOnlyModelAdmin
from standards.models import FrameworkVersion, KeyQuestion, Question, RatingBand, Section
from standards.services import framework_version_is_used


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RatingBandInline(ReadOnlyInline):
    model = RatingBand
    fields = ["position", "key", "label", "min_percent"]


class SectionInline(ReadOnlyInline):
    model = Section
    fields = ["position", "code", "title", "is_standard", "statement"]


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(ProjectModelAdmin):
    list_display = ["framework", "version", "title", "status", "loaded_at"]
    list_filter = ["framework", "status"]
    # What the reports read comes from the file alone (standards.selectors.report_layout).
    readonly_fields = [
        "standard_rule",
        "report_layout",
        "content_hash",
        "checks",
        "checks_hash",
        "loaded_at",
    ]
    inlines = [RatingBandInline, SectionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status == FrameworkVersion.Status.PUBLISHED:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        published = obj is not None and obj.status == FrameworkVersion.Status.PUBLISHED
        if published or (obj is not None and framework_version_is_used(version=obj)):
            return False
        return super().has_delete_permission(request, obj)


class FrameworkContentAdmin(ReadOnlyModelAdmin):
    """Read-only lists of a version's content, for finding a question by code."""


@admin.register(KeyQuestion)
class KeyQuestionAdmin(FrameworkContentAdmin):
    list_display = ["code", "title", "kind", "section"]
    list_filter = ["section__framework_version", "kind"]
    search_fields = ["code", "title"]


@admin.register(Question)
class QuestionAdmin(FrameworkContentAdmin):
    list_display = ["code", "text", "kind", "answer_type", "weight", "framework_version"]
    list_filter = ["framework_version", "kind", "answer_type", "weight"]
    search_fields = ["code", "text"]
