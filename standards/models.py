"""The inspectorate's question framework, held as versioned data.

A framework file (standards/frameworks/*.yaml) is loaded into these tables by
`load_framework`; forms and reports are built from them. A version that
anything refers to is never altered.
"""

from django.db import models
from django.urls import reverse


class AnswerType(models.TextChoices):
    YES_NO = "yes_no", "Yes / No"
    YES_NO_NA = "yes_no_na", "Yes / No / Not applicable"
    SINGLE_CHOICE = "single_choice", "Single choice"
    MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
    NUMBER = "number", "Number"
    TEXT = "text", "Free text"


class Weight(models.TextChoices):
    STANDARDS = "standards", "Linked to the standards"
    BACKGROUND = "background", "Background"


class FrameworkVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    framework = models.SlugField(max_length=80)
    version = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices)
    source = models.CharField(max_length=300, blank=True)
    preamble = models.JSONField(default=list, blank=True)
    standard_rule = models.CharField(max_length=60)
    content_hash = models.CharField(max_length=64)
    # The consistency checks loaded with the version (its checks file), and their hash: ""
    # for a version loaded before checks were kept with it.
    checks = models.JSONField(default=list, blank=True)
    checks_hash = models.CharField(max_length=64, blank=True)
    # How its reports are laid out: the file's `report`, every key filled in.
    report_layout = models.JSONField(default=dict, blank=True)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["framework", "-loaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "version"], name="unique_framework_version"
            )
        ]

    def __str__(self):
        return f"{self.title} (version {self.version})"

    def get_absolute_url(self):
        return reverse("standards:framework", args=[self.framework, self.version])


class RatingBand(models.Model):
    framework_version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="rating_bands"
    )
    key = models.SlugField(max_length=40)
    label = models.CharField(max_length=60)
    min_percent = models.DecimalField(max_digits=5, decimal_places=2)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["framework_version", "position"]

    def __str__(self):
        return f"{self.label} ({self.min_percent}% and over)"


class Section(models.Model):
    framework_version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="sections"
    )
    code = models.CharField(max_length=4)
    title = models.CharField(max_length=100)
    is_standard = models.BooleanField()
    statement = models.TextField(blank=True)
    guidance = models.JSONField(default=list, blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["framework_version", "position"]

    def __str__(self):
        return f"{self.code} {self.title}"


class KeyQuestion(models.Model):
    class Kind(models.TextChoices):
        BACKGROUND = "background", "Background information"
        KEY_QUESTION = "key_question", "Key question"

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="key_questions")
    code = models.CharField(max_length=8)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.TextField()
    guidance = models.JSONField(default=list, blank=True)
    applies_when = models.JSONField(null=True, blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["section__framework_version", "position"]

    def __str__(self):
        return f"{self.code} {self.title}"


class Question(models.Model):
    """A numbered question, one of its unnumbered sub-fields, or a summary judgement."""

    class Kind(models.TextChoices):
        QUESTION = "question", "Question"
        FIELD = "field", "Sub-field"
        SUMMARY = "summary", "Summary judgement"

    framework_version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="questions"
    )
    key_question = models.ForeignKey(
        KeyQuestion, on_delete=models.CASCADE, related_name="questions"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="fields"
    )
    code = models.CharField(max_length=20)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    heading = models.CharField(max_length=100, blank=True)
    text = models.TextField()
    guidance = models.JSONField(default=list, blank=True)
    answer_type = models.CharField(max_length=20, choices=AnswerType.choices)
    choices = models.JSONField(default=list, blank=True)
    exclusive_choice = models.CharField(max_length=60, blank=True)
    number_min = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    number_max = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    number_decimals = models.PositiveSmallIntegerField(null=True, blank=True)
    weight = models.CharField(max_length=12, choices=Weight.choices)
    applies_when = models.JSONField(null=True, blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["framework_version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework_version", "code"], name="unique_question_code_per_version"
            )
        ]

    def __str__(self):
        return f"{self.code} {self.text}"

    def choice_label(self, value: str) -> str:
        """Return the label of choice `value`, or the value itself when unknown."""
        return next((c["label"] for c in self.choices if c["value"] == value), value)
