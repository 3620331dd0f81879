"""Middleware for the protections every page shares."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, resolve_url

SIGNED_IN_AT = "signed_in_at"


class SessionLimitsMiddleware:
    """End a session a fixed time after sign-in, however active (the idle limit is the cookie's)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.setdefault(SIGNED_IN_AT, time.time())
            if time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)  # flushes the session on the server
                messages.info(request, "Your session ended: sign in again to carry on.")
                return redirect(f"{resolve_url(settings.LOGIN_URL)}?next={request.path}")
        return self.get_response(request)


class NoStoreMiddleware:
    """Tell browsers and proxies to keep no copy of what signed-in people see."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response
