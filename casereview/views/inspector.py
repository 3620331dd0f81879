from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import audit_case_viewed
from casereview.access import review_for
from casereview.forms import PageButtonsForm, ReplyForm, SubmitCaseForm
from casereview.moderation.selectors import moderations_given_to
from casereview.page_saves import PageSaved, page_autosave, page_save
from casereview.pages import CasePages
from casereview.queries.selectors import open_queries, query_awaits_reply
from casereview.queries.services import query_reply
from casereview.workflow.moves import S, offered_move
from casereview.workflow.selectors import cases_in_hand
from casereview.workflow.services import review_submit
from config.access import SIGNED_IN, access
from config.forms import form_problems
from inspection.permissions import Action
from inspection.selectors import inspection_summaries


@require_GET
@access(SIGNED_IN)
def my_cases(request):
    in_hand = cases_in_hand(user=request.user)
    context = {
        "rows": in_hand.cases,
        "attention": in_hand.returned,
        "inspections": inspection_summaries(user=request.user),
        "sections": in_hand.sections,
        "moderations": moderations_given_to(user=request.user)
        .select_related("case__inspection")
        .order_by("status", "case__case_ref"),
    }
    return render(request, "casereview/my_cases.html", context)


def _queries(review, queries) -> list:
    """Return `queries`, each saying whether it waits for the inspector's reply."""
    queries = list(queries)
    for query in queries:
        query.awaits_reply = query_awaits_reply(query=query, review=review)
    return queries


@require_GET
@access(Action.ANSWER, review_for)
def case_start(request, review):
    page = CasePages.load(review)
    return redirect("casereview:page", review.case.public_id, page.first_unfinished())


@require_http_methods(["GET", "POST"])
@access(Action.ANSWER, review_for)
def case_page(request, review, code):
    page = CasePages.load(review)
    key_question = page.key_question(code)
    if key_question is None:
        raise Http404("No such key question")
    saved = PageSaved(page.blocks(key_question))
    if request.method == "POST":
        if not review.is_editable:
            raise PermissionDenied("This case is read-only.")
        saved = page_save(page=page, key_question=key_question, data=request.POST, by=request.user)
        if not saved.problems:
            messages.success(request, "Your answers have been saved.")
            go_on = PageButtonsForm(request.POST).goes_on()
            return redirect(page.url_after_save(code, go_on=go_on))
    audit_case_viewed(request=request, case=review.case, page=code)
    context = _case_page_context(review, page, key_question, saved)
    return render(request, "casereview/case_page.html", context)


def _case_page_context(review, page, key_question, saved) -> dict:
    code = key_question.code
    return {
        "review": review,
        "case": review.case,
        "key_question": key_question,
        "blocks": saved.blocks,
        "errors": saved.problems,
        "navigation": page.navigation(current=code),
        "next_key_question": page.next_key_question(code),
        "editable": review.is_editable,
        "buttons": PageButtonsForm(),
        "queries": _queries(
            review, open_queries(review=review).filter(question__key_question=key_question)
        ),
    }


@require_POST
@access(Action.ANSWER, review_for)
def answer_autosave(request, review, code):
    """Save one question's answer as it is given (htmx); reply with what changed on the page."""
    if not review.is_editable:
        raise PermissionDenied("This case is read-only.")
    page = CasePages.load(review)
    question = next((q for q in page.questions if q.code == code), None)
    if question is None or not page.applies[code]:
        raise Http404("No such question on this case")
    saved = page_autosave(page=page, question=question, data=request.POST, by=request.user)
    context = {"case": review.case, "saved": saved, "at": timezone.localtime(), "editable": True}
    return HttpResponse(render_to_string("casereview/_autosave.html", context, request=request))


@require_GET
@access(Action.ANSWER, review_for)
def check_answers(request, review):
    page = CasePages.load(review)
    context = {
        "review": review,
        "case": review.case,
        "missing": page.missing,
        "missing_groups": page.missing_by_key_question().items(),
        "sections": page.answered_sections(),
        "navigation": page.navigation(),
        "queries": _queries(review, open_queries(review=review).select_related("question")),
        "submit": offered_move(review, request.user, to=S.SUBMITTED),
        "flags": page.flags(),
        "submit_form": SubmitCaseForm(case=review.case),
    }
    audit_case_viewed(request=request, case=review.case, page="check")
    return render(request, "casereview/check_answers.html", context)


@require_POST
@access(Action.ANSWER, review_for)
def submit(request, review):
    try:
        review_submit(review=review, by=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("casereview:check", review.case.public_id)
    except PermissionDenied as refused:
        messages.error(request, str(refused))
        return redirect("casereview:check", review.case.public_id)
    messages.success(request, f"Case {review.case.case_ref} has been submitted.")
    return redirect("home")


@require_POST
@access(Action.ANSWER, review_for)
def reply_query(request, review, query_id):
    query = review.queries.filter(public_id=query_id).select_related("question").first()
    if query is None:
        raise Http404("No such query")
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_problems(form))
    else:
        try:
            query_reply(query=query, text=form.cleaned_data["text"], by=request.user)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(request, f"Your reply on {query.question.code} has been sent.")
    return redirect("casereview:check", review.case.public_id)
