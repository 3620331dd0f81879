"""Admin building blocks every app uses: case data stays put, and looking at it leaves a trace.

Case data is a case and everything that hangs from it (its review, answers, history,
queries, practice examples, moderation). It leaves the database only through the
retention command (`apply_retention`), which records what it removed in the audit
log. So no admin page deletes inspectors' judgements, directly or by a cascade; and
every admin page that shows case data records the view, as the case pages do.

The rules follow the models' relations rather than naming each admin: a page added
later for reviews or answers inherits them from `ProjectModelAdmin`.
"""

from functools import cache

from django.apps import apps
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, Q

from audit.models import AuditEvent
from audit.services import audit_record

CASE = "inspection.Case"
INSPECTION = "inspection.Inspection"
# The inspectors' and moderators' judgements, and their history: what the admin never deletes.
JUDGEMENTS = ("casereview.Answer", "casereview.AnswerChange", "casereview.ModerationJudgement")
RETENTION_ADVICE = (
    "Case data leaves only through the retention command, which records what it removed "
    "in the audit log: set “Keep case data until” on the inspection, then run "
    "python manage.py apply_retention (--dry-run first shows what would go)."
)


@cache
def cascade_lookups(model: type[models.Model], towards: type[models.Model]) -> tuple[str, ...]:
    """Return the lookups from `model` to the `towards` rows whose deletion cascades to it.

    ("review__case", for answers towards cases: deleting a case deletes its answers.)
    A model reaches itself by "pk".
    """
    if model is towards:
        return ("pk",)
    found = []
    pending = [(model, "", 0)]
    while pending:
        current, prefix, depth = pending.pop()
        for field in current._meta.concrete_fields:
            if not field.is_relation or field.remote_field.on_delete is not models.CASCADE:
                continue
            lookup = f"{prefix}{field.name}"
            parent = field.related_model
            if parent is towards:
                found.append(lookup)
            elif parent is not current and depth < 5:  # no self-references, no endless chains
                pending.append((parent, f"{lookup}__", depth + 1))
    return tuple(sorted(found))


def removed_with(model: type[models.Model], deleting) -> models.QuerySet:
    """Return the rows of `model` that deleting `deleting` (objects or a queryset) would remove."""
    if isinstance(deleting, models.QuerySet):
        source, pks = deleting.model, deleting.values("pk")
    else:
        source, pks = type(deleting[0]), [obj.pk for obj in deleting]
    lookups = cascade_lookups(model, source)
    if not lookups:
        return model._default_manager.none()
    condition = Q()
    for lookup in lookups:
        condition |= Q(**{f"{lookup}__in": pks})
    return model._default_manager.filter(condition)


def judgements_removed_with(deleting) -> dict[type[models.Model], int]:
    """Return {model: count} of the judgements that deleting `deleting` would remove."""
    counts = {}
    for label in JUDGEMENTS:
        model = apps.get_model(label)
        number = removed_with(model, deleting).count()
        if number:
            counts[model] = number
    return counts


def is_case_data(model: type[models.Model]) -> bool:
    """Return whether `model`'s rows are case data: a case, or what deleting a case removes."""
    return bool(cascade_lookups(model, apps.get_model(CASE)))


def counted(counts: dict[type[models.Model], int]) -> list[str]:
    """Return ["1 answer", "2 answer changes", ...] for {model: count}."""
    return [
        f"{number:,} {model._meta.verbose_name if number == 1 else model._meta.verbose_name_plural}"
        for model, number in counts.items()
    ]


def described(counts: dict[type[models.Model], int]) -> str:
    return ", ".join(counted(counts))


class ProjectModelAdmin(admin.ModelAdmin):
    """The base of every admin page here: it refuses deletes that would remove judgements,
    records the deletes it allows, and records every view of case data."""

    # Deletes

    def deletion_refusal(self, request, deleting) -> tuple[str, dict] | None:
        """Return (why and what to do instead, {model: count}) when `deleting` may not go."""
        judgements = judgements_removed_with(deleting)
        if not judgements:
            return None
        who, verb = self._naming(deleting)
        return (
            f"{who} cannot be deleted here: {verb} inspectors' judgements "
            f"({described(judgements)}). {RETENTION_ADVICE}",
            judgements,
        )

    def get_deleted_objects(self, objs, request):
        """List what a delete would remove; a refused delete lists why, and Django stops there."""
        if not objs:  # an empty selection: nothing to refuse
            return super().get_deleted_objects(objs, request)
        refusal = self.deletion_refusal(request, objs)
        if refusal is not None:
            reason, counts = refusal
            self.message_user(request, reason, messages.ERROR)
            # Django refuses any delete with protected objects, on both delete pages.
            return [], {}, set(), counted(counts)
        if not request.POST.get("post"):  # the confirmation page lists every case it removes
            self._record_cases_listed(request, removed_with(apps.get_model(CASE), objs), "delete")
        return super().get_deleted_objects(objs, request)

    def delete_model(self, request, obj):
        self._refuse_unless_allowed(request, [obj])
        cases = removed_with(apps.get_model(CASE), [obj]).count()
        super().delete_model(request, obj)
        self._record_deleted(request, obj, cases)

    def delete_queryset(self, request, queryset):
        self._refuse_unless_allowed(request, queryset)
        gone = list(queryset)
        cases = {o.pk: removed_with(apps.get_model(CASE), [o]).count() for o in gone}
        super().delete_queryset(request, queryset)
        for obj in gone:
            self._record_deleted(request, obj, cases[obj.pk])

    def _refuse_unless_allowed(self, request, deleting) -> None:
        # The delete pages stop before this; anything else that reaches it is refused whole.
        refusal = self.deletion_refusal(request, deleting)
        if refusal is not None:
            raise PermissionDenied(refusal[0])

    def _record_deleted(self, request, obj, cases: int) -> None:
        if not (hasattr(obj, "public_id") or isinstance(obj, get_user_model())):
            return  # framework drafts and the like: the admin's own history keeps them
        with_cases = cases and obj._meta.label != CASE
        detail = {"via": "admin", **({"cases": cases} if with_cases else {})}
        audit_record(action=AuditEvent.Action.DELETED, request=request, obj=obj, detail=detail)

    def _naming(self, deleting) -> tuple[str, str]:
        """Return how a refusal names what was to be deleted, and "it holds" or "they hold"."""
        if isinstance(deleting, models.QuerySet) or len(deleting) != 1:
            return f"The selected {self.opts.verbose_name_plural}", "they hold"
        return f"{str(self.opts.verbose_name).capitalize()} “{deleting[0]}”", "it holds"

    # Views of case data

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None and is_case_data(self.model):
            shown = [obj.pk for obj in changelist.result_list]
            rows = self.model._default_manager.filter(pk__in=shown)
            self._record_cases_listed(request, rows, "list")
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        self._record_case_viewed(request, response, "original", self.opts.model_name)
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        self._record_case_viewed(request, response, "object", f"{self.opts.model_name} history")
        return response

    def _record_case_viewed(self, request, response, key: str, page: str) -> None:
        obj = getattr(response, "context_data", {}).get(key)
        if response.status_code != 200 or obj is None or not is_case_data(self.model):
            return
        case = _case_of(obj)
        audit_record(
            action=AuditEvent.Action.CASE_VIEWED,
            request=request,
            obj=case,
            detail={"page": f"admin {page}"},
        )

    def _record_cases_listed(self, request, rows: models.QuerySet, page: str) -> None:
        """Record one event per inspection whose case data `rows` shows, with the count."""
        lookups = cascade_lookups(rows.model, apps.get_model(CASE))
        if not lookups:
            return
        to_case = lookups[0]
        to_inspection = "inspection" if to_case == "pk" else f"{to_case}__inspection"
        per_inspection = rows.order_by().values(to_inspection).annotate(rows=Count("pk"))
        numbers = {row[to_inspection]: row["rows"] for row in per_inspection}
        kind = str(rows.model._meta.verbose_name_plural)
        page = f"admin {self.opts.model_name} {page}"
        for inspection in apps.get_model(INSPECTION).objects.filter(pk__in=numbers):
            audit_record(
                action=AuditEvent.Action.CASES_LISTED,
                request=request,
                obj=inspection,
                inspection=inspection,
                detail={"page": page, kind: numbers[inspection.pk]},
            )


def _case_of(obj):
    """Return the case that `obj` (case data) belongs to."""
    lookup = cascade_lookups(type(obj), apps.get_model(CASE))[0]
    if lookup == "pk":
        return obj
    for name in lookup.split("__"):
        obj = getattr(obj, name)
    return obj


class ReadOnlyModelAdmin(ProjectModelAdmin):
    """Rows to read and search; nobody adds, changes or deletes them through the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
