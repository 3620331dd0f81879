"""Sign-ins, sign-outs and failed sign-ins, from Django's auth signals, into the audit log."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.models import AuditEvent
from audit.services import audit_record


@receiver(user_logged_in, dispatch_uid="audit_sign_in")
def signed_in(sender, request, user, **kwargs):
    audit_record(action=AuditEvent.Action.SIGN_IN, request=request, user=user)


@receiver(user_logged_out, dispatch_uid="audit_sign_out")
def signed_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(action=AuditEvent.Action.SIGN_OUT, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="audit_sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    # A name typed at sign-in is kept only when it is somebody's: people sometimes
    # type their password into the username box.
    typed = str(credentials.get("username", ""))[:150]
    user = get_user_model().objects.filter(username=typed).first()
    audit_record(
        action=AuditEvent.Action.SIGN_IN_FAILED,
        request=request,
        user=user,
        detail={} if user else {"username": "(not a user)"},
    )
