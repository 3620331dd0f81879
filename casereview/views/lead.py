from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from audit.models import AuditEvent
from audit.services import audit_case_viewed, audit_record
from casereview.access import case_for, review_for
from casereview.answers.examples import practice_example_decide, practice_examples
from casereview.dashboard import selectors as dashboard
from casereview.forms import DashboardFilterForm, ExampleDecisionForm, MoveForm, QueryForm
from casereview.models import Review
from casereview.pages import CasePages
from casereview.queries.selectors import query_may_be_raised
from casereview.queries.services import query_close, query_raise
from casereview.workflow.moves import SecondPersonRequired, moves_offered
from casereview.workflow.selectors import review_history
from casereview.workflow.services import review_transition
from config.access import access
from config.forms import form_problems
from inspection.permissions import Action, inspection_for
from inspection.selectors import allocatable_members


@require_GET
@access(Action.REVIEW_CASES, inspection_for)
def inspection_dashboard(request, inspection):
    inspectors = allocatable_members(inspection=inspection).order_by("user__username")
    form = DashboardFilterForm(request.GET, inspectors=[m.user.username for m in inspectors])
    board = dashboard.board(inspection=inspection, filters=form.filters(), viewer=request.user)
    # The grid shows each case's judgements: one event naming the inspection, with the count.
    audit_record(
        action=AuditEvent.Action.CASES_LISTED,
        request=request,
        obj=inspection,
        inspection=inspection,
        detail={"page": "dashboard", "cases": len(board.rows)},
    )
    context = {"inspection": inspection, "board": board, "form": form}
    return render(request, "casereview/dashboard.html", context)


@require_GET
@access(Action.REVIEW_CASES, case_for)
def lead_case(request, case):
    audit_case_viewed(request=request, case=case, page="review")
    review = Review.objects.filter(case=case).first()
    if review is None:  # looking creates no review: only its inspector starts one
        return render(request, "casereview/lead_case_not_started.html", {"case": case})
    review.case = case
    page = CasePages.load(review)
    moves = moves_offered(review, request.user)
    context = {
        "review": review,
        "case": case,
        "sections": page.answered_sections(),
        "queries": review.queries.select_related("question", "raised_by", "replied_by"),
        "moves": [move for move in moves if not move.withheld],
        "withheld": [move.withheld for move in moves if move.withheld],
        "can_query": query_may_be_raised(review=review, user=request.user),
        "history": review_history(review=review),
        "flags": page.flags(),
    }
    return render(request, "casereview/lead_case.html", context)


@require_POST
@access(Action.REVIEW_CASES, review_for)
def raise_query(request, review):
    form = QueryForm(request.POST)
    questions = {q.code: q for q in CasePages.load(review).questions}
    if not form.is_valid() or form.cleaned_data["question"] not in questions:
        messages.error(request, " ".join(form.errors.get("text", [])) or "Enter your query")
        return redirect("casereview:lead", review.case.public_id)
    try:
        query = query_raise(
            review=review,
            question=questions[form.cleaned_data["question"]],
            text=form.cleaned_data["text"],
            by=request.user,
        )
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, f"Query raised on {query.question.code}.")
    return redirect("casereview:lead", review.case.public_id)


@require_POST
@access(Action.REVIEW_CASES, review_for)
def close_query(request, review, query_id):
    query = review.queries.filter(public_id=query_id).first()
    if query is None:
        raise Http404("No such query")
    query_close(query=query, by=request.user)
    messages.success(request, f"The query on {query.question.code} is closed.")
    return redirect("casereview:lead", review.case.public_id)


@require_POST
@access(Action.REVIEW_CASES, review_for)
def move(request, review):
    form = MoveForm(request.POST)
    if "to" in form.errors:
        raise PermissionDenied("Unknown move.")
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["note"]))
        return redirect("casereview:lead", review.case.public_id)
    try:
        data = form.cleaned_data
        review_transition(review=review, to_status=data["to"], by=request.user, note=data["note"])
    except (ValidationError, SecondPersonRequired) as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        review.refresh_from_db()
        status = review.get_status_display().lower()
        messages.success(request, f"Case {review.case.case_ref} is now {status}.")
    return redirect("casereview:lead", review.case.public_id)


@require_GET
@access(Action.REVIEW_CASES, inspection_for)
def inspection_examples(request, inspection):
    examples = practice_examples(inspection)
    context = {"inspection": inspection, "examples": examples}
    audit_record(
        action=AuditEvent.Action.CASES_LISTED,
        request=request,
        obj=inspection,
        inspection=inspection,
        detail={"page": "practice examples", "examples": len(examples)},
    )
    return render(request, "casereview/examples.html", context)


@require_POST
@access(Action.REVIEW_CASES, review_for)
def decide_example(request, review, code):
    answer = review.answers.filter(question__code=code).first()
    if answer is None:
        raise Http404("No such example")
    form = ExampleDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_problems(form))
        return redirect("casereview:examples", review.case.inspection.public_id)
    status = form.cleaned_data["decision"]
    try:
        practice_example_decide(
            answer=answer, status=status, text=form.cleaned_data["text"], by=request.user
        )
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, f"The {code} example of case {review.case.case_ref} is {status}.")
    return redirect("casereview:examples", review.case.inspection.public_id)
