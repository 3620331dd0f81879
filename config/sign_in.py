"""Signing in: accounts lock by django-axes; an address is throttled here, at a higher rate.

Everyone behind the TLS proxy or in one office shares an address, so an address is
throttled only when it fails far more often than one person would: more than
SIGN_IN_ADDRESS_LIMIT failures in SIGN_IN_ADDRESS_MINUTES, counted from the audit log's
failed sign-ins (one indexed query, in Postgres, shared by every web process).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.core.exceptions import NON_FIELD_ERRORS
from django.shortcuts import render
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record
from config.addresses import client_address
from config.forms import SignInForm


def address_throttled(address: str | None) -> bool:
    """Return whether sign-ins from `address` are refused for now."""
    if address is None:
        return False
    since = timezone.now() - timedelta(minutes=settings.SIGN_IN_ADDRESS_MINUTES)
    limit = settings.SIGN_IN_ADDRESS_LIMIT
    failures = AuditEvent.objects.filter(
        action=AuditEvent.Action.SIGN_IN_FAILED, address=address, at__gte=since
    )[:limit]
    return failures.count() >= limit


class SignInView(auth_views.LoginView):
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if address_throttled(client_address(request)):
            response = render(
                request,
                "registration/throttled.html",
                {"minutes": settings.SIGN_IN_ADDRESS_MINUTES},
                status=429,
            )
            response["Retry-After"] = str(settings.SIGN_IN_ADDRESS_MINUTES * 60)
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        # A deactivated account's right password is refused before authenticating (so axes
        # does not count it): record the attempt here, as a failed sign-in is.
        if form.has_error(NON_FIELD_ERRORS, code="inactive"):
            user = get_user_model()._default_manager.get(username=form.cleaned_data["username"])
            audit_record(
                action=AuditEvent.Action.SIGN_IN_FAILED,
                request=self.request,
                user=user,
                detail={"reason": "inactive"},
            )
        return super().form_invalid(form)
