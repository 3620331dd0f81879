from django.shortcuts import redirect
from django.views.decorators.http import require_GET


@require_GET
def home(request):
    """Send a signed-in user to the frameworks until their inspections have a home page."""
    return redirect("standards:frameworks")
