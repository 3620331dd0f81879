from django.conf import settings


def session(request):
    """Give pages the idle timeout, for the warning before it ends."""
    return {"session_seconds": settings.SESSION_COOKIE_AGE}
