"""Every URL's view says who may use it, and signed-out visitors get nothing but sign-in."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from config.access import PUBLIC, SIGNED_IN, access
from inspection.permissions import Action, inspection_for


def walk(patterns, prefix=""):
    """Yield (route, view) for every URL pattern outside the Django admin."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the admin checks staff status itself
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def test_every_view_has_an_explicit_access_rule():
    routes = list(walk(get_resolver().url_patterns))
    declared = {PUBLIC, SIGNED_IN, *Action}
    missing = [
        route for route, view in routes if getattr(view, "access_rule", None) not in declared
    ]

    assert len(routes) > 30
    assert missing == []


def test_only_sign_in_and_sign_out_are_public():
    public = sorted(
        route for route, view in walk(get_resolver().url_patterns) if view.access_rule == PUBLIC
    )

    assert public == ["sign-in/", "sign-out/"]


def test_a_signed_out_visitor_is_sent_to_sign_in_from_every_other_page(client, case):
    from uuid import uuid4

    for route, view in walk(get_resolver().url_patterns):
        if view.access_rule == PUBLIC:
            continue
        url = "/" + route.replace("<uuid:public_id>", str(case.public_id))
        url = url.replace("<uuid:query_id>", str(uuid4())).replace("<uuid:case_id>", str(uuid4()))
        url = url.replace("<str:code>", "A1").replace("<slug:framework>", "x")
        url = url.replace("<str:version>", "1")
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, (url, response.status_code)
            assert response["Location"].startswith("/sign-in/"), url


def declared_view(action):
    @access(action, inspection_for)
    def view(request, inspection):
        return HttpResponse(inspection.name)

    return view


def test_the_declaration_lets_in_only_those_the_rule_allows(inspection, writer, inspector):
    view = declared_view(Action.REPORT)
    request = RequestFactory().get("/")

    request.user = writer
    assert view(request, public_id=inspection.public_id).content == inspection.name.encode()
    request.user = inspector
    with pytest.raises(PermissionDenied, match="report writers and leads"):
        view(request, public_id=inspection.public_id)


def test_the_declaration_hides_an_inspection_from_someone_outside_it(inspection, outsider):
    request = RequestFactory().get("/")
    request.user = outsider

    with pytest.raises(Http404):
        declared_view(Action.VIEW_INSPECTION)(request, public_id=inspection.public_id)


def test_an_action_cannot_be_declared_without_the_helper_that_checks_it():
    with pytest.raises(ValueError, match="access helper"):
        access(Action.REPORT)
