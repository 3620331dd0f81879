"""Inspections. The next issue adds areas, providers, teams and the case sample."""

from django.db import models

from standards.models import FrameworkVersion


class Inspection(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    # PROTECT: the framework version an inspection started with stays with it.
    framework_version = models.ForeignKey(
        FrameworkVersion, on_delete=models.PROTECT, related_name="inspections"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.name
