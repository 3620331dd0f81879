from django.http import HttpResponse
from django.views.decorators.http import require_POST

from config.access import SIGNED_IN, access


@require_POST
@access(SIGNED_IN)
def session_keepalive(request):
    """Extend the signed-in session (the page's timeout warning calls this)."""
    request.session.modified = True
    return HttpResponse(status=204)
