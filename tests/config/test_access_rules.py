"""Every URL's view says who may use it, and signed-out visitors get nothing but sign-in."""

from django.urls import URLPattern, URLResolver, get_resolver

from config.access import RULES


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
    missing = [route for route, view in routes if getattr(view, "access_rule", None) not in RULES]

    assert len(routes) > 30
    assert missing == []


def test_only_sign_in_and_sign_out_are_public():
    public = sorted(
        route for route, view in walk(get_resolver().url_patterns) if view.access_rule == "public"
    )

    assert public == ["sign-in/", "sign-out/"]


def test_a_signed_out_visitor_is_sent_to_sign_in_from_every_other_page(client, case):
    from uuid import uuid4

    for route, view in walk(get_resolver().url_patterns):
        if view.access_rule == "public":
            continue
        url = "/" + route.replace("<uuid:public_id>", str(case.public_id))
        url = url.replace("<uuid:query_id>", str(uuid4())).replace("<uuid:case_id>", str(uuid4()))
        url = url.replace("<str:code>", "A1").replace("<slug:framework>", "x")
        url = url.replace("<str:version>", "1")
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, (url, response.status_code)
            assert response["Location"].startswith("/sign-in/"), url
