"""The lead's queries on a submitted case: raising, replying, closing."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from casereview.answers.values import clean_text
from casereview.models import Query, Review
from casereview.queries.selectors import QUERYABLE
from inspection.permissions import Action, check
from standards.models import Question


@transaction.atomic
def query_raise(*, review: Review, question: Question, text: str, by) -> Query:
    """Raise a lead inspector's query on one answer or judgement of a submitted case."""
    review = Review.objects.select_for_update().select_related("case__inspection").get(pk=review.pk)
    check(by, Action.QUERY, review)
    if review.status not in QUERYABLE:
        raise ValidationError("Queries are raised on submitted cases.")
    if question.framework_version_id != review.case.inspection.framework_version_id:
        raise ValidationError("That question is not in this inspection's framework.")
    text = clean_text(text or "", what="the query")
    if not text:
        raise ValidationError("Enter your query")
    query = Query(review=review, question=question, text=text, raised_by=by)
    query.full_clean(exclude=["review", "question", "raised_by"])
    query.save()
    return query


@transaction.atomic
def query_reply(*, query: Query, text: str, by) -> Query:
    """Record the inspector's reply to an open query on their returned case."""
    query = Query.objects.select_for_update().select_related("review__case").get(pk=query.pk)
    check(by, Action.ANSWER, query)
    if query.review.status != Review.Status.RETURNED or query.status == Query.Status.CLOSED:
        raise ValidationError("This query is no longer waiting for a reply.")
    text = clean_text(text or "", what="your reply")
    if not text:
        raise ValidationError("Enter your reply")
    query.reply, query.replied_by, query.replied_at = text, by, timezone.now()
    query.status = Query.Status.ANSWERED
    query.save()
    return query


@transaction.atomic
def query_close(*, query: Query, by) -> Query:
    """Close a query (answered, or withdrawn while open) as a lead inspector."""
    query = Query.objects.select_for_update().select_related("review__case").get(pk=query.pk)
    check(by, Action.QUERY, query)
    if query.status == Query.Status.CLOSED:
        return query
    query.status, query.closed_by, query.closed_at = Query.Status.CLOSED, by, timezone.now()
    query.save()
    return query
