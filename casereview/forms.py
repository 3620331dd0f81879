"""Forms built from the framework: one per question, named by its code, never hard-coded."""

from crispy_forms_gds.layout import HTML, Field, Layout, Size
from django import forms
from django.utils.html import escape, format_html_join

from casereview.answers.values import answer_options, clean_text, clean_value, slot
from casereview.models import Answer, PracticeExample, Review
from config.forms import GDSFormMixin
from standards.models import AnswerType, Question

PRACTICE_CHOICES = [("", "No example"), *Answer.Practice.choices]


class QuestionForm(GDSFormMixin, forms.Form):
    """The answer to one question, or a summary judgement with its reasons and example."""

    submit_label = None
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, question: Question, answer: Answer | None, **kwargs):
        self.question = question
        self.answer = answer
        initial = {"version": answer.version if answer else 0}
        if answer is not None:
            initial.update(
                value=answer.value,
                reasons=answer.reasons,
                practice=answer.practice,
                practice_text=answer.practice_text,
            )
        super().__init__(*args, prefix=slot(question.code), initial=initial, **kwargs)
        self.fields["version"].widget.attrs["id"] = f"{slot(question.code)}-version"
        self.fields["value"] = self._value_field()
        layout = [self._value_layout()]
        if question.kind == Question.Kind.SUMMARY:
            self._add_summary_fields()
            layout += [
                Field.textarea("reasons", rows=4),
                Field.radios("practice", legend_size=Size.SMALL, small=True, inline=True),
                Field.textarea("practice_text", rows=3),
            ]
        if question.guidance:
            paragraphs = format_html_join(
                "", '<p class="govuk-body-s">{}</p>', ((p,) for p in question.guidance)
            )
            layout.append(HTML.details(f"Guidance for {escape(question.code)}", paragraphs))
        layout.append(Field("version"))
        self.helper.layout = Layout(*layout)

    def _label(self) -> str:
        # crispy-forms-gds marks labels safe: the framework's text is escaped here.
        prefix = "Summary judgement: " if self.question.kind == Question.Kind.SUMMARY else ""
        return escape(f"{self.question.code} {prefix}{self.question.text}")

    def _value_field(self) -> forms.Field:
        kind, label = self.question.answer_type, self._label()
        if kind == AnswerType.MULTIPLE_CHOICE:
            return forms.MultipleChoiceField(
                label=label,
                required=False,
                choices=answer_options(self.question),
                widget=forms.CheckboxSelectMultiple,
            )
        if kind in (AnswerType.YES_NO, AnswerType.YES_NO_NA, AnswerType.SINGLE_CHOICE):
            return forms.ChoiceField(
                label=label,
                required=False,
                choices=answer_options(self.question),
                widget=forms.RadioSelect,
            )
        if kind == AnswerType.NUMBER:
            return forms.CharField(
                label=label, required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
            )
        return forms.CharField(
            label=label, required=False, widget=forms.Textarea(attrs={"rows": 3})
        )

    def _value_layout(self):
        kind = self.question.answer_type
        if kind == AnswerType.MULTIPLE_CHOICE:
            return Field.checkboxes("value", legend_size=Size.SMALL, small=True)
        if kind in (AnswerType.YES_NO, AnswerType.YES_NO_NA):
            return Field.radios("value", legend_size=Size.SMALL, small=True, inline=True)
        if kind == AnswerType.SINGLE_CHOICE:
            return Field.radios("value", legend_size=Size.SMALL, small=True)
        if kind == AnswerType.NUMBER:
            return Field.text("value", field_width=5)
        return Field.textarea("value", rows=3)

    def _add_summary_fields(self):
        code = self.question.key_question.code
        self.fields["reasons"] = forms.CharField(
            label=f"Your reasons for the {code} judgement",
            required=False,
            widget=forms.Textarea,
            help_text="Required before you submit the case.",
        )
        self.fields["practice"] = forms.ChoiceField(
            label="Is this case an example of good or poor practice?",
            required=False,
            choices=PRACTICE_CHOICES,
            widget=forms.RadioSelect,
        )
        self.fields["practice_text"] = forms.CharField(
            label="Describe the example",
            required=False,
            widget=forms.Textarea,
            help_text="Do not name the person on probation or anyone else.",
        )

    def clean_value(self):
        return clean_value(self.question, self.cleaned_data.get("value"))

    def clean_reasons(self):
        return clean_text(self.cleaned_data.get("reasons") or "", what="your reasons") or ""

    def clean_practice_text(self):
        return clean_text(self.cleaned_data.get("practice_text") or "", what="the example") or ""

    def parts(self) -> dict:
        """Return the cleaned parts to save (value; for summaries reasons and practice too)."""
        names = ["value"]
        if self.question.kind == Question.Kind.SUMMARY:
            names += ["reasons", "practice", "practice_text"]
        return {name: self.cleaned_data[name] for name in names}


class QueryForm(GDSFormMixin, forms.Form):
    """A lead inspector's query on one answer or judgement."""

    submit_label = "Raise the query"
    question = forms.CharField(widget=forms.HiddenInput)
    text = forms.CharField(
        label="Your query",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter your query"},
    )


class ReplyForm(GDSFormMixin, forms.Form):
    submit_label = "Send your reply"
    text = forms.CharField(
        label="Your reply",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Change the answer on its page too, if the query is right.",
        error_messages={"required": "Enter your reply"},
    )


class ExampleDecisionForm(forms.Form):
    """A lead's decision on a flagged example; the page's two buttons give the decision."""

    decision = forms.ChoiceField(
        choices=PracticeExample.Status.choices,
        error_messages={"required": "Approve or reject the example."},
    )
    text = forms.CharField(required=False, strip=False)


class MoveForm(forms.Form):
    """A move of the case's state; the workflow decides whether it is allowed."""

    to = forms.ChoiceField(choices=Review.Status.choices)
    note = forms.CharField(required=False, widget=forms.Textarea)
