import random

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import audit_case_viewed
from casereview.access import moderation_for
from casereview.forms import (
    ModerationAssignForm,
    ModerationForm,
    ModerationSampleForm,
    moderation_choice_form,
)
from casereview.models import Moderation
from casereview.moderation.agreement import agreement
from casereview.moderation.services import moderation_assign, moderation_sample, moderation_save
from config.access import access
from config.forms import form_problems
from inspection.permissions import Action, inspection_for


@require_GET
@access(Action.CHOOSE_MODERATION, inspection_for)
def moderation_overview(request, inspection):
    tables = agreement(inspection)
    context = {
        "inspection": inspection,
        "moderations": Moderation.objects.filter(case__inspection=inspection).select_related(
            "case__allocated_to", "moderator"
        ),
        "by_key_question": tables.by_key_question,
        "by_inspector": tables.by_inspector,
        "disagreements": tables.disagreements,
        "sample_form": ModerationSampleForm(),
        "assign_form": ModerationAssignForm(inspection=inspection),
    }
    return render(request, "casereview/moderation.html", context)


@require_POST
@access(Action.CHOOSE_MODERATION, inspection_for)
def moderation_choose(request, inspection):
    form = moderation_choice_form(request.POST, inspection=inspection)
    try:
        chosen = _choose(form, inspection=inspection, by=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        if chosen:
            messages.success(
                request, f"{len(chosen)} case{pluralize(chosen)} chosen for moderation."
            )
        else:
            messages.info(request, NONE_CHOSEN)
    return redirect("casereview:moderation", inspection.public_id)


NONE_CHOSEN = (
    "No case was chosen: every submitted case is moderated already, or none is submitted yet."
)


def _choose(form, *, inspection, by) -> list:
    if not form.is_valid():
        raise ValidationError(form_problems(form))
    data = form.cleaned_data
    if isinstance(form, ModerationSampleForm):
        return moderation_sample(
            inspection=inspection,
            per_inspector=data["per_inspector"],
            by=by,
            rng=random.SystemRandom(),
            request_id=data["request_id"],
        )
    return moderation_assign(
        inspection=inspection,
        cases=data["cases"],
        moderator=data["moderator"],
        by=by,
        request_id=data["request_id"],
    )


@require_http_methods(["GET", "POST"])
@access(Action.MODERATE, moderation_for)
def moderate(request, moderation):
    """The moderator's blind second review: the case, its key questions, no first judgements."""
    form = ModerationForm.of(moderation, data=request.POST or None)
    if form.is_bound:
        saved = _save(request, moderation, form)
        if saved is not None:
            return saved
    audit_case_viewed(request=request, case=moderation.case, page="moderation")
    context = {"moderation": moderation, "case": moderation.case, "form": form}
    return render(request, "casereview/moderate.html", context)


def _save(request, moderation, form):
    """Save or submit the posted judgements; return where to go, or None to show them again."""
    if not form.is_valid():
        messages.error(request, form_problems(form))
        return None
    done = form.cleaned_data["submit"]
    try:
        moderation_save(
            moderation=moderation, judgements=form.judgements(), by=request.user, submit=done
        )
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return None
    if done:
        messages.success(request, "Your moderation has been submitted.")
        return redirect("home")
    messages.success(request, "Your judgements have been saved.")
    return redirect("casereview:moderate", moderation.public_id)
