from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from audit.models import AuditEvent
from audit.services import audit_record
from config.access import access
from config.pages import form_page
from inspection.permissions import Action, inspection_for
from reports.access import report_job_for
from reports.datasets import write_dataset
from reports.forms import NarrativeForm, ReportRequestForm
from reports.models import ReportJob
from reports.selectors import report_jobs_listed
from reports.services import narrative_save, report_jobs_requeue, report_request


@require_http_methods(["GET", "POST"])
@access(Action.REPORT, inspection_for)
def report_page(request, inspection):
    form = ReportRequestForm(
        request.POST or None, initial={"kind": request.GET.get("kind", "final")}
    )
    if form.is_valid():
        final = form.final
        try:
            job, new = report_request(inspections=[inspection], final=final, by=request.user)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(request, _requested(job, new=new))
        page = reverse("reports:page", args=[inspection.public_id])
        return redirect(f"{page}?kind=draft" if not final else page)
    report_jobs_requeue()  # nothing stays queued or running for ever
    jobs = report_jobs_listed(user=request.user, inspection=inspection)
    jobs = jobs.select_related("requested_by")[:8]
    context = {"inspection": inspection, "jobs": jobs, "form": form}
    return render(request, "reports/report_page.html", context)


def _requested(job, *, new: bool) -> str:
    if new:
        return "The report is being built."
    if job.status == ReportJob.Status.DONE:
        return "The data has not changed: here is the report already built."
    return "The data has not changed: the report already asked for is being built."


@require_GET
@access(Action.REPORT, report_job_for)
def job_status(request, job):
    report_jobs_requeue()  # polled while a job waits: it is sent as soon as Redis is back
    return render(request, "reports/_job.html", {"job": job})


@never_cache
@require_GET
@access(Action.REPORT, report_job_for)
def download(request, job):
    if job.status != ReportJob.Status.DONE or not job.file:
        raise Http404("The report is not ready")
    try:
        pdf = job.file.open("rb")  # from Postgres or object storage: any machine reaches it
    except FileNotFoundError:
        raise Http404("The report file is missing: ask for the report again") from None
    response = FileResponse(
        pdf, as_attachment=True, filename=job.filename, content_type="application/pdf"
    )
    response["Cache-Control"] = "no-store"
    audit_record(
        action=AuditEvent.Action.REPORT_DOWNLOADED,
        request=request,
        obj=job,
        detail={"inspections": [str(i.public_id) for i in job.inspections.all()]},
    )
    return response


@require_http_methods(["GET", "POST"])
@access(Action.REPORT, inspection_for)
def narrative_edit(request, inspection):
    current = getattr(inspection, "narrative", None)
    form = NarrativeForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            narrative_save(inspection=inspection, by=request.user, **form.cleaned_data)
        except ValidationError as invalid:
            form.add_error(None, invalid)
        else:
            messages.success(request, "The narrative has been saved.")
            return redirect("reports:page", inspection.public_id)
    return form_page(
        request,
        form,
        title="Summary, key findings and recommendations",
        back_url=reverse("reports:page", args=[inspection.public_id]),
        back_text="Back to the report",
    )


@never_cache
@require_GET
@access(Action.EXPORT, inspection_for)
def export_csv(request, inspection):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{inspection.slug}-assessments.csv"'
    response["Cache-Control"] = "no-store"
    rows = write_dataset(inspection, response)
    audit_record(
        action=AuditEvent.Action.EXPORTED,
        request=request,
        obj=inspection,
        inspection=inspection,
        detail={"dataset": "assessments", "rows": rows},
    )
    return response
