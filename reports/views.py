from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from audit.models import AuditEvent
from audit.services import audit_record
from config.access import access
from inspection.models import Inspection, Membership
from inspection.selectors import inspections_visible_to
from reports.datasets import write_dataset
from reports.forms import NarrativeForm
from reports.models import ReportJob
from reports.services import (
    REPORT_ROLES,
    check_report_role,
    narrative_save,
    report_jobs_requeue,
    report_request,
)


def _inspection_for_reports(request, public_id) -> Inspection:
    """Return the inspection if the person may make its reports; outsiders get 404, others 403."""
    inspection = inspections_visible_to(request.user).filter(public_id=public_id).first()
    if inspection is None:
        raise Http404("No such inspection")
    check_report_role(request.user, [inspection])
    return inspection


def _jobs_listed(user, inspection):
    """Return the inspection's jobs that `user` may open: none covering one they cannot."""
    # Not inspection.report_jobs: its join would make the exclude below test one row only.
    jobs = ReportJob.objects.filter(inspections=inspection)
    if user.is_superuser:
        return jobs
    reported = Membership.objects.filter(user=user, role__in=REPORT_ROLES).values("inspection")
    return jobs.exclude(inspections__in=Inspection.objects.exclude(pk__in=reported))


def _job_for(request, public_id) -> ReportJob:
    """Return a job of inspections the person may report on; anyone else gets 404."""
    job = ReportJob.objects.filter(public_id=public_id).prefetch_related("inspections").first()
    visible = set(inspections_visible_to(request.user).values_list("pk", flat=True))
    if job is None or not {i.pk for i in job.inspections.all()} <= visible:
        raise Http404("No such report")
    try:
        check_report_role(request.user, job.inspections.all())
    except PermissionDenied:
        raise Http404("No such report") from None
    return job


@access("report")
@require_http_methods(["GET", "POST"])
def report_page(request, public_id):
    inspection = _inspection_for_reports(request, public_id)
    if request.method == "POST":
        final = request.POST.get("kind") != "draft"
        try:
            job, new = report_request(inspections=[inspection], final=final, by=request.user)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            if new:
                messages.success(request, "The report is being built.")
            elif job.status == ReportJob.Status.DONE:
                messages.success(request, "The data has not changed: here is the report "
                                          "already built.")  # fmt: skip
            else:
                messages.success(request, "The data has not changed: the report already asked "
                                          "for is being built.")  # fmt: skip
        page = reverse("reports:page", args=[public_id])
        return redirect(f"{page}?kind=draft" if not final else page)
    report_jobs_requeue()  # nothing stays queued or running for ever
    jobs = _jobs_listed(request.user, inspection).select_related("requested_by")[:8]
    context = {"inspection": inspection, "jobs": jobs, "kind": request.GET.get("kind")}
    return render(request, "reports/report_page.html", context)


@access("report")
@require_GET
def job_status(request, public_id):
    job = _job_for(request, public_id)
    report_jobs_requeue()  # polled while a job waits: it is sent as soon as Redis is back
    return render(request, "reports/_job.html", {"job": job})


@access("report")
@never_cache
@require_GET
def download(request, public_id):
    job = _job_for(request, public_id)
    if job.status != ReportJob.Status.DONE or not job.file:
        raise Http404("The report is not ready")
    names = "-".join(i.slug for i in job.inspections.all())
    kind = "report" if job.final else "draft-report"
    try:
        pdf = job.file.open("rb")  # from Postgres or object storage: any machine reaches it
    except FileNotFoundError:
        raise Http404("The report file is missing: ask for the report again") from None
    response = FileResponse(
        pdf, as_attachment=True, filename=f"{names}-{kind}.pdf", content_type="application/pdf"
    )
    response["Cache-Control"] = "no-store"
    audit_record(
        action=AuditEvent.Action.REPORT_DOWNLOADED, request=request, obj=job,
        detail={"inspections": [str(i.public_id) for i in job.inspections.all()]},
    )  # fmt: skip
    return response


@access("report")
@require_http_methods(["GET", "POST"])
def narrative_edit(request, public_id):
    inspection = _inspection_for_reports(request, public_id)
    current = getattr(inspection, "narrative", None)
    form = NarrativeForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            narrative_save(inspection=inspection, by=request.user, **form.cleaned_data)
        except ValidationError as invalid:
            form.add_error(None, invalid)
        else:
            messages.success(request, "The narrative has been saved.")
            return redirect("reports:page", public_id)
    context = {
        "form": form,
        "page_title": "Summary, key findings and recommendations",
        "back_url": f"/inspections/{inspection.public_id}/report/",
        "back_text": "Back to the report",
    }
    return render(request, "form_page.html", context)


@access("report")
@never_cache
@require_GET
def export_csv(request, public_id):
    inspection = _inspection_for_reports(request, public_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{inspection.slug}-assessments.csv"'
    response["Cache-Control"] = "no-store"
    rows = write_dataset(inspection, response)
    audit_record(
        action=AuditEvent.Action.EXPORTED, request=request, obj=inspection, inspection=inspection,
        detail={"dataset": "assessments", "rows": rows},
    )  # fmt: skip
    return response
