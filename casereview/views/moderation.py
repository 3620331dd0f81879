import random
import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.models import AuditEvent
from audit.services import audit_record
from casereview.access import moderation_for
from casereview.models import Moderation, ModerationJudgement
from casereview.moderation.agreement import agreement
from casereview.moderation.selectors import (
    eligible_cases,
    moderation_key_questions,
    possible_moderators,
)
from casereview.moderation.services import moderation_assign, moderation_sample, moderation_save
from config.access import access
from inspection.permissions import Action, inspection_for


@require_GET
@access(Action.CHOOSE_MODERATION, inspection_for)
def moderation_overview(request, inspection):
    tables = agreement(inspection)
    context = {
        "inspection": inspection,
        "eligible": eligible_cases(inspection).order_by("case_ref"),
        "moderators": possible_moderators(inspection),
        "moderations": Moderation.objects.filter(case__inspection=inspection).select_related(
            "case__allocated_to", "moderator"
        ),
        "by_key_question": tables.by_key_question,
        "by_inspector": tables.by_inspector,
        "disagreements": tables.disagreements,
        "request_ids": {"sample": uuid.uuid4(), "assign": uuid.uuid4()},
    }
    return render(request, "casereview/moderation.html", context)


@require_POST
@access(Action.CHOOSE_MODERATION, inspection_for)
def moderation_choose(request, inspection):
    try:
        try:  # each rendering of the form carries its own: a resent one chooses nothing more
            request_id = uuid.UUID(request.POST.get("request_id", ""))
        except ValueError:
            raise ValidationError("The form has expired: choose the cases again") from None
        if "sample" in request.POST:
            try:
                per_inspector = int(request.POST.get("per_inspector", ""))
            except ValueError:
                raise ValidationError("Enter how many cases to draw for each inspector") from None
            chosen = moderation_sample(
                inspection=inspection,
                per_inspector=per_inspector,
                by=request.user,
                rng=random.SystemRandom(),
                request_id=request_id,
            )
        else:
            moderator = next(
                (
                    m
                    for m in possible_moderators(inspection)
                    if str(m.pk) == request.POST.get("moderator")
                ),
                None,
            )
            # Any of the inspection's cases: the service says which cannot be moderated, and
            # finds what a resent submission chose already.
            wanted = set(request.POST.getlist("cases"))
            cases = [c for c in inspection.cases.all() if str(c.public_id) in wanted]
            if moderator is None or not cases:
                raise ValidationError("Select the cases and the inspector to moderate them")
            chosen = moderation_assign(
                inspection=inspection,
                cases=cases,
                moderator=moderator,
                by=request.user,
                request_id=request_id,
            )
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        if chosen:
            messages.success(
                request,
                f"{len(chosen)} case{'s' if len(chosen) != 1 else ''} chosen for moderation.",
            )
        else:
            messages.info(
                request,
                "No case was chosen: every submitted case is moderated "
                "already, or none is submitted yet.",
            )
    return redirect("casereview:moderation", inspection.public_id)


@require_http_methods(["GET", "POST"])
@access(Action.MODERATE, moderation_for)
def moderate(request, moderation):
    """The moderator's blind second review: the case, its key questions, no first judgements."""
    key_questions = moderation_key_questions(moderation)
    if request.method == "POST":
        judgements = {
            kq.code: (
                request.POST.get(f"{kq.code}-value", ""),
                request.POST.get(f"{kq.code}-reasons"),
            )
            for kq in key_questions
        }
        try:
            moderation_save(
                moderation=moderation,
                judgements=judgements,
                by=request.user,
                submit="submit" in request.POST,
            )
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            done = "submit" in request.POST
            messages.success(
                request,
                "Your moderation has been submitted."
                if done
                else "Your judgements have been saved.",
            )
            return redirect(
                "home" if done else "casereview:moderate", *([] if done else [moderation.public_id])
            )
    given = {j.key_question_id: j for j in moderation.judgements.all()}
    rows = [(kq, given.get(kq.pk)) for kq in key_questions]
    context = {
        "moderation": moderation,
        "case": moderation.case,
        "rows": rows,
        "values": ModerationJudgement.Value.choices,
        "editable": moderation.status == Moderation.Status.ASSIGNED,
    }
    audit_record(
        action=AuditEvent.Action.CASE_VIEWED,
        request=request,
        obj=moderation.case,
        detail={"page": "moderation"},
    )
    return render(request, "casereview/moderate.html", context)
