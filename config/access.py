"""Every view declares who may use it, and the declaration is what lets them in.

`@access(PUBLIC)` opens a view to anyone (only sign-in and sign-out); `@access(SIGNED_IN)`
to anyone signed in, whose content the view scopes to them; `@access(action, load)`
to those who may take the action (inspection.permissions.Action) on the object named
by the URL. `load(user, action, public_id)` is that object's access helper: it returns
the object or raises 404/403, and the view is called with the object in place of the
URL's `public_id`, so a view cannot reach its object without the rule being checked.

A test walks the URL patterns and fails on a view without a declaration.
"""

from functools import wraps

from django.contrib.auth.decorators import login_not_required

PUBLIC, SIGNED_IN = "public", "signed_in"


def access(rule, load=None):
    """Declare and enforce who may use the view (see the module's docstring)."""
    if rule in (PUBLIC, SIGNED_IN):
        if load is not None:
            raise ValueError(f"A {rule} view loads its objects itself, scoped to the person.")
    elif load is None:
        raise ValueError(f"Give the access helper that loads the object {rule!r} is about.")

    def declare(view):
        if rule == PUBLIC:
            wrapped = login_not_required(view)
        elif rule == SIGNED_IN:
            wrapped = view  # LoginRequiredMiddleware sends anyone signed out to sign in
        else:

            @wraps(view)
            def wrapped(request, public_id, **kwargs):
                return view(request, load(request.user, rule, public_id), **kwargs)

        wrapped.access_rule = rule
        return wrapped

    return declare
