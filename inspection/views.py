from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.models import AuditEvent
from audit.services import audit_case_viewed, audit_record
from config.access import access
from config.forms import form_problems
from config.pages import form_page
from inspection.forms import AllocationForm, CaseForm, SampleUploadForm
from inspection.permissions import Action, inspection_for, inspection_role, may
from inspection.selectors import allocatable_members
from inspection.services import case_sample_import, case_save, cases_allocate


@require_GET
@access(Action.VIEW_INSPECTION, inspection_for)
def inspection_detail(request, inspection):
    manages = may(request.user, Action.MANAGE_SAMPLE, inspection)
    context = {
        "inspection": inspection,
        "role": inspection_role(request.user, inspection),
        "manages": manages,
    }
    if manages:
        cases = list(inspection.cases.select_related("allocated_to").order_by("case_ref"))
        # The sample with each case's details: recorded as the dashboard's list is.
        audit_record(
            action=AuditEvent.Action.CASES_LISTED,
            request=request,
            obj=inspection,
            inspection=inspection,
            detail={"page": "inspection", "cases": len(cases)},
        )
        members = allocatable_members(inspection=inspection)
        context.update(
            cases=cases,
            allocation=AllocationForm(cases=cases, members=members),
            members=inspection.memberships.select_related("user"),
        )
    else:
        context["cases"] = list(
            inspection.cases.filter(allocated_to=request.user).order_by("case_ref")
        )
    return render(request, "inspection/detail.html", context)


@require_http_methods(["GET", "POST"])
@access(Action.MANAGE_SAMPLE, inspection_for)
def sample_import(request, inspection):
    form = SampleUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        sample = case_sample_import(inspection=inspection, data=form.cleaned_data["file"].read())
        if not sample.errors:
            added = len(sample.rows)
            audit_record(
                action=AuditEvent.Action.IMPORTED,
                request=request,
                obj=inspection,
                inspection=inspection,
                detail={"via": "sample", "cases": added},
            )
            were = pluralize(added, "was,were")
            messages.success(request, f"{added} case{pluralize(added)} {were} added to the sample.")
            return redirect(inspection)
        problems = sample.errors
    return form_page(
        request,
        form,
        title="Import the case sample",
        back_url=inspection.get_absolute_url(),
        back_text="Back to the inspection",
        template="inspection/sample_import.html",
        inspection=inspection,
        problems=problems,
    )


@require_http_methods(["GET", "POST"])
@access(Action.MANAGE_SAMPLE, inspection_for)
def case_edit(request, inspection, case_id=None):
    case = None
    if case_id is not None:
        case = inspection.cases.filter(public_id=case_id).first()
        if case is None:
            raise Http404("No such case")
    form = CaseForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in CaseForm.Meta.fields}
        try:
            saved = case_save(inspection=inspection, case=case, **values)
        except ValidationError as invalid:
            form.add_error(None, invalid)
        else:
            messages.success(request, f"Case {saved.case_ref} has been saved.")
            return redirect(inspection)
    if case is not None:
        audit_case_viewed(request=request, case=case, page="sample details")
    return form_page(
        request,
        form,
        title=f"Correct case {case.case_ref}" if case else "Add a case to the sample",
        back_url=inspection.get_absolute_url(),
        back_text=f"Back to {inspection.name}",
        inspection=inspection,
    )


@require_POST
@access(Action.MANAGE_SAMPLE, inspection_for)
def allocate(request, inspection):
    cases = list(inspection.cases.all())
    members = list(allocatable_members(inspection=inspection))
    form = AllocationForm(request.POST, cases=cases, members=members)
    if not form.is_valid():
        messages.error(request, form_problems(form))
        return redirect(inspection)
    cases, inspector = form.cleaned_data["cases"], form.cleaned_data["inspector"]
    count = cases_allocate(inspection=inspection, cases=cases, inspector=inspector, by=request.user)
    who = inspector.username if inspector else "nobody"
    messages.success(request, f"{count} case{pluralize(count)} allocated to {who}.")
    return redirect(inspection)
