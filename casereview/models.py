"""An inspector's review of one case: answers, summary judgements, status, history."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef

from inspection.models import Case
from standards.models import KeyQuestion, Question


class ReviewQuerySet(models.QuerySet):
    def judged_by(self, user):
        """Return the reviews in which `user` gave or changed any judgement.

        That is any answer or summary judgement they wrote or changed (its history, or
        its current writer), and any judgement of the case's blind second review they
        gave as its moderator. Whoever did any of it may not also agree the case.
        """
        return self.filter(
            Exists(AnswerChange.objects.filter(review=OuterRef("pk"), changed_by=user))
            | Exists(Answer.objects.filter(review=OuterRef("pk"), updated_by=user))
            | Exists(
                ModerationJudgement.objects.filter(
                    moderation__case=OuterRef("case_id"), moderation__moderator=user
                )
            )
        )


class Review(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned"
        AGREED = "agreed", "Agreed"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="review")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    # {section code: "not_started" | "in_progress" | "complete"}, kept up to date by each save.
    progress = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["case"]

    def __str__(self):
        return f"Review of {self.case}"

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.IN_PROGRESS, self.Status.RETURNED)

    def judged_by(self, user) -> bool:
        """Return whether `user` gave or changed any judgement in this review (one query)."""
        return Review.objects.judged_by(user).filter(pk=self.pk).exists()


class Answer(models.Model):
    """The current answer to one question; for summary judgements also reasons and practice."""

    class Practice(models.TextChoices):
        GOOD = "good", "Good practice"
        POOR = "poor", "Poor practice"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    # "yes"/"no"/"na", a choice value, a list of choice values, a number as text, or text.
    value = models.JSONField(null=True, blank=True)
    reasons = models.TextField(blank=True)
    practice = models.CharField(max_length=4, choices=Practice.choices, blank=True)
    practice_text = models.TextField(blank=True)
    # Raised by every change; a save must name the version it changes (no silent overwrites).
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["review", "question__position"]
        constraints = [
            models.UniqueConstraint(fields=["review", "question"], name="one_answer_per_question")
        ]

    def __str__(self):
        return f"{self.question.code} of {self.review.case}"


class AnswerChange(models.Model):
    """One changed part of an answer: who, when, old and new value. Never updated."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="changes")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    part = models.CharField(max_length=14)  # value, reasons, practice or practice_text
    old = models.JSONField(null=True, blank=True)
    new = models.JSONField(null=True, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["review", "changed_at", "pk"]

    def __str__(self):
        return f"{self.question.code} {self.part} changed by {self.changed_by}"


class ReviewEvent(models.Model):
    """A change of a review's status: who, when, from and to. Never updated."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, choices=Review.Status.choices)
    to_status = models.CharField(max_length=12, choices=Review.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["review", "at", "pk"]

    def __str__(self):
        return f"{self.review}: {self.from_status} -> {self.to_status}"


class Query(models.Model):
    """A lead inspector's question about one answer or judgement, and the inspector's reply."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ANSWERED = "answered", "Answered"
        CLOSED = "closed", "Closed"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="queries")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    reply = models.TextField(blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    replied_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["review", "raised_at", "pk"]
        verbose_name_plural = "queries"

    def __str__(self):
        return f"Query on {self.question.code} of {self.review.case}"


class PracticeExample(models.Model):
    """A lead inspector's decision on a good or poor practice example an inspector flagged.

    The decision holds for the text it was made on (`original`): if the inspector
    changes the example afterwards, it waits for a new decision.
    """

    class Status(models.TextChoices):
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="example")
    status = models.CharField(max_length=8, choices=Status.choices)
    original = models.TextField()
    text = models.TextField(help_text="The example as it may be published, edited for anonymity.")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    decided_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.get_status_display()} example on {self.answer}"

    @property
    def is_current(self) -> bool:
        return self.original == self.answer.practice_text


class Moderation(models.Model):
    """A blind second review of a case's key questions by another inspector."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", "Assigned"
        SUBMITTED = "submitted", "Submitted"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="moderation")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="moderations"
    )
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.ASSIGNED)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The form submission that chose it: the same submission sent twice (a double click)
    # chooses nothing more.
    request_id = models.UUIDField(null=True, blank=True, db_index=True, editable=False)

    class Meta:
        ordering = ["case"]

    def __str__(self):
        return f"Moderation of {self.case} by {self.moderator}"


class ModerationJudgement(models.Model):
    """The moderator's own judgement on one key question: yes, no or not applicable."""

    class Value(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        NA = "na", "Not applicable"

    moderation = models.ForeignKey(Moderation, on_delete=models.CASCADE, related_name="judgements")
    key_question = models.ForeignKey(KeyQuestion, on_delete=models.PROTECT, related_name="+")
    value = models.CharField(max_length=3, choices=Value.choices)
    reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["moderation", "key_question__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["moderation", "key_question"], name="one_moderation_judgement_per_kq"
            )
        ]

    def __str__(self):
        return f"{self.key_question.code}: {self.value}"
