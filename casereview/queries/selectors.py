"""When a query may be raised or waits for a reply, and the open ones."""

from django.db.models import QuerySet

from casereview.models import Query, Review
from inspection.permissions import Action, may

# Queries are raised while the lead has the case, and answered while the inspector has it.
QUERYABLE = (Review.Status.SUBMITTED, Review.Status.RETURNED)


def query_may_be_raised(*, review: Review, user) -> bool:
    """Return whether `user` may raise a query on `review` now."""
    return review.status in QUERYABLE and may(user, Action.QUERY, review)


def query_awaits_reply(*, query: Query, review: Review) -> bool:
    """Return whether `query` waits for its inspector's reply (shown with a reply form)."""
    return review.status == Review.Status.RETURNED and query.status == Query.Status.OPEN


def has_open_query(*, review: Review) -> bool:
    return review.queries.filter(status=Query.Status.OPEN).exists()


def open_queries(*, review: Review) -> QuerySet[Query]:
    return review.queries.exclude(status=Query.Status.CLOSED).select_related("raised_by")
