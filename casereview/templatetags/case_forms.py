"""The small forms a case's pages repeat (per move, query or example), each posting to its URL."""

from django import template
from django.urls import reverse

from casereview.forms import (
    CloseQueryForm,
    ExampleDecisionForm,
    MoveForm,
    QueryForm,
    ReplyForm,
)

register = template.Library()


def _post(context, form, url: str, *args, css_class: str = "") -> dict:
    return {
        "form": form,
        "action": reverse(url, args=args),
        "css_class": css_class,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("casereview/_post_form.html", takes_context=True)
def move_form(context, case, move):
    return _post(
        context, MoveForm.offering(move), "casereview:move", case.public_id, css_class="app-move"
    )


@register.inclusion_tag("casereview/_post_form.html", takes_context=True)
def raise_query_form(context, case, question):
    return _post(context, QueryForm.on(question), "casereview:raise_query", case.public_id)


@register.inclusion_tag("casereview/_post_form.html", takes_context=True)
def close_query_form(context, case, query):
    form = CloseQueryForm(query=query)
    return _post(context, form, "casereview:close_query", case.public_id, query.public_id)


@register.inclusion_tag("casereview/_post_form.html", takes_context=True)
def reply_form(context, case, query):
    return _post(context, ReplyForm.on(query), "casereview:reply", case.public_id, query.public_id)


@register.inclusion_tag("casereview/_post_form.html", takes_context=True)
def example_form(context, answer):
    case, code = answer.review.case, answer.question.code
    return _post(
        context, ExampleDecisionForm.on(answer), "casereview:decide_example", case.public_id, code
    )
