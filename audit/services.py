"""Recording audit events: the only way rows get into the audit log."""

import logging
from typing import Any

from django.contrib.auth import get_user_model

from audit.models import AuditEvent
from config.addresses import client_address

log = logging.getLogger(__name__)
Action = AuditEvent.Action


def audit_record(
    *,
    action: str,
    request=None,
    user=None,
    obj=None,
    inspection=None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an event: who (the request's user unless `user` is given), what, on which object.

    `obj` is named by its public id (a user by username); `detail` must hold
    identifiers, roles and counts only, never case text.
    """
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    if inspection is None and obj is not None:
        inspection = getattr(obj, "inspection", None)
    object_type, object_id = _name(obj)
    event = AuditEvent(
        action=action,
        user=user,
        username=user.get_username() if user is not None else "",
        address=_address(request),
        object_type=object_type,
        object_id=object_id,
        inspection_id=str(inspection.public_id) if inspection is not None else "",
        detail=detail or {},
    )
    event.full_clean()
    event.save()
    return event


def audit_case_viewed(*, request, case, page: str) -> AuditEvent:
    """Record that the request's user opened one of a case's pages (named, never its text)."""
    return audit_record(action=Action.CASE_VIEWED, request=request, obj=case, detail={"page": page})


def _name(obj) -> tuple[str, str]:
    if obj is None:
        return "", ""
    if isinstance(obj, get_user_model()):
        return "user", obj.get_username()
    return obj._meta.model_name, str(obj.public_id)


def _address(request) -> str | None:
    if request is None:
        return None
    return client_address(request)
