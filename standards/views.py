from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from config.access import SIGNED_IN, access
from standards.export import data_dictionary_filename, write_data_dictionary
from standards.models import FrameworkVersion
from standards.selectors import (
    framework_outline,
    framework_version_get,
    framework_versions,
    rating_bands,
)


def _get_version_or_404(framework: str, version: str) -> FrameworkVersion:
    """Return the framework version named in the URL; every signed-in user may read frameworks."""
    found = framework_version_get(framework=framework, version=version)
    if found is None:
        raise Http404("No such framework version")
    return found


@require_GET
@access(SIGNED_IN)
def framework_list(request):
    return render(request, "standards/framework_list.html", {"versions": framework_versions()})


@require_GET
@access(SIGNED_IN)
def framework_detail(request, framework, version):
    version = _get_version_or_404(framework, version)
    context = {
        "version": version,
        "bands": rating_bands(version=version),
        "sections": framework_outline(version=version),
    }
    return render(request, "standards/framework_detail.html", context)


@require_GET
@access(SIGNED_IN)
def framework_csv(request, framework, version):
    version = _get_version_or_404(framework, version)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{data_dictionary_filename(version)}"'
    write_data_dictionary(version, response)
    return response
