from crispy_forms_gds.layout import Field, Layout
from django import forms

from config.forms import GDSFormMixin
from config.text import invisible_characters_problem
from inspection.case_refs import CASE_REF_MAX, CASE_REF_MISSING, validate_case_ref
from inspection.models import SAMPLE_FIELDS, Case
from inspection.sample_import import COLUMNS, MAX_BYTES


class SampleUploadForm(GDSFormMixin, forms.Form):
    submit_label = "Import the sample"

    file = forms.FileField(
        label="Upload the case sample (CSV)",
        help_text=f"Columns: {', '.join(COLUMNS)}. Leave a cell empty where it is not recorded.",
        error_messages={"required": "Select a CSV file"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The file must be smaller than {MAX_BYTES // 1_000_000} MB"
            )
        return upload


class CaseForm(GDSFormMixin, forms.ModelForm):
    submit_label = "Save the case"

    # Declared, not generated from the model, so that the one rule for references
    # (inspection.case_refs) gives the only message, not Django's length message beside it.
    case_ref = forms.CharField(
        label="Case reference",
        help_text=f"Up to {CASE_REF_MAX} letters, digits, single spaces and - _ / .",
        validators=[validate_case_ref],
        error_messages={"required": CASE_REF_MISSING},
        widget=forms.TextInput(attrs={"maxlength": CASE_REF_MAX, "spellcheck": "false"}),
    )

    class Meta:
        model = Case
        fields = SAMPLE_FIELDS
        labels = {
            "age": "Age at the start of the order or licence",
            "ogrs": "OGRS score",
            "rosh": "Risk of serious harm (RoSH)",
            "mappa": "MAPPA case",
            "ldu": "LDU",
        }
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}),
            "sentence_date": forms.DateInput(attrs={"type": "date"}),
            "release_date": forms.DateInput(attrs={"type": "date"}),
            "mappa": forms.NullBooleanSelect,
        }

    def clean_ldu(self):
        ldu = self.cleaned_data.get("ldu") or ""
        if problem := invisible_characters_problem(ldu, what="the LDU"):
            raise forms.ValidationError(problem)
        return ldu


class AllocationForm(GDSFormMixin, forms.Form):
    """Cases ticked in the sample's table (drawn by the page, a row each), and to whom."""

    submit_label = "Allocate the selected cases"

    cases = forms.MultipleChoiceField(
        label="Cases",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the cases to allocate"},
    )
    inspector = forms.ChoiceField(label="Allocate the selected cases to")

    def __init__(self, *args, cases, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.cases = {str(c.public_id): c for c in cases}
        self.members = {str(m.user_id): m.user for m in members}
        self.fields["cases"].choices = [(str(c.public_id), c.case_ref) for c in cases]
        self.fields["inspector"].choices = [("", "Nobody (unallocate)")] + [
            (
                str(m.user_id),
                f"{m.user.get_full_name() or m.user.username} ({m.get_role_display()})",
            )
            for m in members
        ]
        self.fields["inspector"].required = False
        self.helper.layout = Layout(Field.select("inspector"))  # the table holds the cases

    def clean_cases(self):
        return [self.cases[public_id] for public_id in self.cleaned_data["cases"]]

    def clean_inspector(self):
        """The member to allocate to, or None to unallocate."""
        return self.members.get(self.cleaned_data["inspector"])
