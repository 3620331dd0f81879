"""Write inspections and the people who work on them."""

import secrets

from django.contrib.auth import get_user_model
from django.db import transaction


@transaction.atomic
def admin_user_ensure(*, username: str = "admin", password: str | None = None) -> tuple[str, bool]:
    """Make sure superuser `username` exists; return (password, whether it was set now).

    With no password given, an existing admin keeps theirs and a new one gets a
    random one, returned so that it can be shown once.
    """
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is not None and not password:
        return "", False
    if user is None:
        user = user_model(username=username, is_staff=True, is_superuser=True)
    password = password or secrets.token_urlsafe(12)
    user.is_staff = user.is_superuser = user.is_active = True
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return password, True
