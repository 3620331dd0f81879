"""Middleware for the protections every page shares."""

import logging
import time
from urllib.parse import unquote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.template.loader import render_to_string

log = logging.getLogger(__name__)
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


class NulAddressMiddleware:
    """Answer "page not found" to an address holding a NUL character, not a server error.

    Postgres cannot compare text with NUL, so a view looking up such a path segment or
    query value would fail; no page of this service has one in its address.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "\x00" in unquote(request.META.get("QUERY_STRING", "")):
            raise Http404("No page has a NUL character in its address.")
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


DATABASE_DOWN = (OperationalError, InterfaceError)


class DatabaseUnavailableMiddleware:
    """Answer 503 with a page that says so while the database cannot be reached, not a 500.

    A signed-in request's first query loads the session: made here, its failure is caught
    before any other middleware needs the database. A view's failure comes to
    process_exception. Django reconnects by itself once the database is back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request.user.is_authenticated  # noqa: B018 - loads the session and the user
        except DATABASE_DOWN as error:
            # Nothing is saved on a 5xx: emptying the session in memory only keeps
            # SessionMiddleware from reading it again (the cookie, and sign-in, are kept).
            request.session.clear()
            return database_unavailable(request, error)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN):
            return database_unavailable(request, exception)
        return None


def database_unavailable(request, error) -> HttpResponse:
    log.error(
        "The database cannot be reached (%s): %s answered 503", type(error).__name__, request.path
    )
    # Rendered without the request: its context processors would query the database.
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "120"
    response["Cache-Control"] = "no-store"
    return response
