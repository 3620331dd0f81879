"""`{% may "ACTION" object as name %}`: templates ask inspection.permissions, never decide."""

from django import template

from inspection import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context, action: str, target) -> bool:
    """Return whether the signed-in person may take the Action named `action` on `target`."""
    return permissions.may(context["request"].user, permissions.Action[action], target)
