from django import forms

from config.forms import GDSFormMixin
from reports.models import ReportNarrative


class NarrativeForm(GDSFormMixin, forms.ModelForm):
    submit_label = "Save the narrative"

    class Meta:
        model = ReportNarrative
        fields = ["summary", "key_findings", "recommendations"]
        widgets = {name: forms.Textarea(attrs={"rows": 8}) for name in fields}
        labels = {"key_findings": "Key findings"}
        help_texts = {
            "summary": "Printed at the start of the report. Do not name people on probation.",
        }
