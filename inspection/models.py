"""Inspections, the people who work on them, and the sample of cases they read."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse

from config.text import validate_plain_text
from standards.models import FrameworkVersion


class Inspection(models.Model):
    class Status(models.TextChoices):
        SETTING_UP = "setting_up", "Setting up"
        FIELDWORK = "fieldwork", "Fieldwork"
        MODERATION = "moderation", "Moderation"
        REPORTING = "reporting", "Reporting"
        PUBLISHED = "published", "Published"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200, validators=[validate_plain_text])
    slug = models.SlugField(max_length=80, unique=True)
    area = models.CharField(max_length=120, blank=True, validators=[validate_plain_text])
    fieldwork_start = models.DateField(null=True, blank=True)
    fieldwork_end = models.DateField(null=True, blank=True)
    # PROTECT: the framework version an inspection started with stays with it.
    framework_version = models.ForeignKey(
        FrameworkVersion, on_delete=models.PROTECT, related_name="inspections"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SETTING_UP)
    created_at = models.DateTimeField(auto_now_add=True)
    retain_until = models.DateField(
        "Keep case data until",
        null=True,
        blank=True,
        help_text="After this date the apply_retention command deletes or anonymises the cases.",
    )
    case_data_removed = models.CharField(
        max_length=10, choices=[("deleted", "Deleted"), ("anonymised", "Anonymised")], blank=True
    )
    case_data_removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("inspection:detail", args=[self.public_id])


class Provider(models.Model):
    """An organisation whose cases the inspection reads."""

    class Kind(models.TextChoices):
        CRC = "crc", "CRC"
        NPS = "nps", "NPS"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="providers")
    kind = models.CharField(max_length=3, choices=Kind.choices)
    name = models.CharField(max_length=200, validators=[validate_plain_text])

    class Meta:
        ordering = ["inspection", "kind", "name"]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"


class Membership(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", "Lead inspector"
        INSPECTOR = "inspector", "Inspector"
        WRITER = "writer", "Report writer"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices)

    class Meta:
        ordering = ["inspection", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "user"], name="one_role_per_inspection")
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}, {self.inspection}"


# What the sample records of a case, in the order forms, imports and exports give it.
SAMPLE_FIELDS = (
    "case_ref",
    "provider",
    "gender",
    "date_of_birth",
    "age",
    "ethnicity",
    "supervision",
    "sentence_date",
    "release_date",
    "ogrs",
    "rosh",
    "mappa",
    "ldu",
)


class Case(models.Model):
    """A sampled case. Characteristics are blank (or null) where not recorded."""

    class Gender(models.TextChoices):
        MALE = "male", "Male"
        FEMALE = "female", "Female"

    class Ethnicity(models.TextChoices):
        WHITE = "white", "White"
        BLACK = "black", "Black"
        ASIAN = "asian", "Asian"
        MIXED = "mixed", "Mixed"
        OTHER = "other", "Other"

    class Supervision(models.TextChoices):
        COMMUNITY = "community", "Community sentence"
        POST_CUSTODY = "post_custody", "Post-custody"

    class Rosh(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"
        VERY_HIGH = "very_high", "Very high"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="cases")
    case_ref = models.CharField(max_length=40)
    provider = models.CharField(max_length=3, choices=Provider.Kind.choices, blank=True)
    gender = models.CharField(max_length=6, choices=Gender.choices, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    # Whole years at the start of the order or licence (from date_of_birth where given).
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    ethnicity = models.CharField(max_length=5, choices=Ethnicity.choices, blank=True)
    supervision = models.CharField(max_length=12, choices=Supervision.choices, blank=True)
    sentence_date = models.DateField(null=True, blank=True)
    release_date = models.DateField(null=True, blank=True)
    ogrs = models.PositiveSmallIntegerField(null=True, blank=True)
    rosh = models.CharField(max_length=9, choices=Rosh.choices, blank=True)
    mappa = models.BooleanField(null=True, blank=True)
    ldu = models.CharField("LDU", max_length=120, blank=True, validators=[validate_plain_text])
    allocated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocated_cases",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["inspection", "case_ref"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "case_ref"], name="unique_case_ref"),
            models.CheckConstraint(
                condition=models.Q(ogrs__isnull=True) | models.Q(ogrs__lte=99), name="ogrs_0_99"
            ),
        ]

    def __str__(self):
        return self.case_ref

    def get_absolute_url(self):
        return reverse("casereview:case", args=[self.public_id])

    @property
    def start_date(self):
        """Return the date the order or licence started, where recorded."""
        if self.supervision == self.Supervision.POST_CUSTODY:
            return self.release_date or self.sentence_date
        return self.sentence_date or self.release_date
