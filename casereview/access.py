"""Access helpers shared by the review's views: the object, or 404/403."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from inspection.models import Inspection
from inspection.selectors import inspection_role, inspections_visible_to


def inspection_for_lead(request, public_id) -> Inspection:
    """Return an inspection the person leads; outsiders get 404, other members 403."""
    inspection = inspections_visible_to(request.user).filter(public_id=public_id).first()
    if inspection is None:
        raise Http404("No such inspection")
    if inspection_role(request.user, inspection) not in ("lead", "admin"):
        raise PermissionDenied("Only a lead inspector may see this.")
    return inspection
