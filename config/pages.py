"""How a page holding one form is shown (templates/form_page.html), decided once."""

from django.shortcuts import render


def form_page(
    request, form, *, title: str, back_url: str, back_text: str, template="form_page.html", **extra
):
    """Render `form` on its page; a page showing problems answers 400, so nothing mistakes it
    for a success."""
    context = {
        "form": form,
        "page_title": title,
        "back_url": back_url,
        "back_text": back_text,
        **extra,
    }
    status = 400 if extra.get("problems") else 200
    return render(request, template, context, status=status)
