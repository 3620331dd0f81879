from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.core.exceptions import ValidationError

from config.forms import GDSFormMixin
from reports.models import ReportNarrative
from reports.narrative import NARRATIVE_LIMIT, narrative_section_clean

LIMIT_HINT = f"Up to {NARRATIVE_LIMIT:,} characters."


class ReportRequestForm(GDSFormMixin, forms.Form):
    submit_label = "Build the report"
    kind = forms.ChoiceField(
        label="Which report?",
        choices=[("final", "Final: agreed cases only"), ("draft", "Draft: all submitted cases")],
        initial="final",
        widget=forms.RadioSelect,
        error_messages={"required": "Select which report to build"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.radios("kind", legend_size=Size.SMALL, small=True))

    @property
    def final(self) -> bool:
        return self.cleaned_data["kind"] == "final"


class NarrativeForm(GDSFormMixin, forms.ModelForm):
    submit_label = "Save the narrative"

    class Meta:
        model = ReportNarrative
        fields = ["summary", "key_findings", "recommendations"]
        widgets = {name: forms.Textarea(attrs={"rows": 8}) for name in fields}
        labels = {"key_findings": "Key findings"}
        help_texts = {
            "summary": "Printed at the start of the report. Do not name people on probation. "
            + LIMIT_HINT,
            "key_findings": LIMIT_HINT,
            "recommendations": LIMIT_HINT,
        }

    def clean(self):
        # The rule is the service's (reports.narrative); asked here too so that the page
        # shows each refused section's message beside it.
        cleaned = super().clean()
        for name in self.Meta.fields:
            if name in cleaned:
                try:
                    cleaned[name] = narrative_section_clean(name, cleaned[name])
                except ValidationError as invalid:
                    self.add_error(name, invalid)
        return cleaned
