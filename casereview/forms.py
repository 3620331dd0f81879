"""Forms built from the framework: one per question, named by its code, never hard-coded."""

import uuid

from crispy_forms_gds.layout import HTML, Div, Field, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import escape, format_html, format_html_join

from casereview.answers.progress import NOT_STARTED
from casereview.answers.values import answer_options, clean_text, clean_value, slot
from casereview.models import Answer, Moderation, ModerationJudgement, PracticeExample, Review
from casereview.moderation.selectors import (
    eligible_cases,
    moderation_key_questions,
    possible_moderators,
)
from config.forms import GDSFormMixin, PageButton, button_group, pressed
from inspection.models import Provider
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

    submit_label = None
    question = forms.CharField(widget=forms.HiddenInput)
    text = forms.CharField(
        label="Your query",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter your query"},
    )

    @classmethod
    def on(cls, question: Question) -> "QueryForm":
        """The form under one answer on the lead's page."""
        form = cls(initial={"question": question.code}, auto_id=f"query-{slot(question.code)}-%s")
        form.fields["text"].label = escape(f"Your query on {question.code}")
        form.helper.layout = Layout(
            Field("question"),
            Field.textarea("text", rows=2),
            PageButton(
                "raise",
                _on("Raise the query", question.code),
                kind="secondary",
                css_class="govuk-!-margin-bottom-0",
            ),
        )
        return form


def _on(label: str, code: str, *, about: str = ""):
    """A button's label, saying to a screen reader which question it is for."""
    hidden = f" {about} on " if about else " on "
    return format_html('{}<span class="govuk-visually-hidden">{}{}</span>', label, hidden, code)


class CloseQueryForm(GDSFormMixin, forms.Form):
    """The lead's button that closes one query."""

    submit_label = None

    def __init__(self, *args, query, **kwargs):
        super().__init__(*args, auto_id=f"close-{query.public_id}-%s", **kwargs)
        label = _on("Close", query.question.code, about="the query")
        self.helper.layout = Layout(
            PageButton("close", label, kind="secondary", css_class="govuk-!-margin-bottom-0")
        )


class ReplyForm(GDSFormMixin, forms.Form):
    submit_label = None
    text = forms.CharField(
        label="Your reply",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Change the answer on its page too, if the query is right.",
        error_messages={"required": "Enter your reply"},
    )

    @classmethod
    def on(cls, query) -> "ReplyForm":
        """The form under one query on the inspector's pages."""
        code = query.question.code
        form = cls(auto_id=f"reply-{query.public_id}-%s")
        form.fields["text"].label = escape(f"Your reply on {code}")
        form.helper.layout = Layout(
            Field.textarea("text", rows=3),
            PageButton("reply", _on("Send your reply", code), kind="secondary"),
        )
        return form


class ExampleDecisionForm(GDSFormMixin, forms.Form):
    """A lead's decision on a flagged example; the page's two buttons give the decision."""

    submit_label = None
    decision = forms.ChoiceField(
        choices=PracticeExample.Status.choices,
        error_messages={"required": "Approve or reject the example."},
    )
    text = forms.CharField(
        label="The example as it may be published",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    @classmethod
    def on(cls, answer: Answer) -> "ExampleDecisionForm":
        """The form under one flagged example, holding its text as last decided or written."""
        example = getattr(answer, "example", None)
        text = example.text if example is not None and example.text else answer.practice_text
        form = cls(initial={"text": text}, auto_id=f"example-{answer.pk}-%s")
        what = format_html(
            '<span class="govuk-visually-hidden"> the {} example of case <bdi>{}</bdi></span>',
            answer.question.key_question.code,
            answer.review.case.case_ref,
        )
        buttons = [
            PageButton("decision", format_html("Approve{}", what), value="approved"),
            PageButton("decision", format_html("Reject{}", what), value="rejected", kind="warning"),
        ]
        form.helper.layout = Layout(Field.textarea("text", rows=3), button_group(*buttons))
        return form


class MoveForm(GDSFormMixin, forms.Form):
    """A move of the case's state; the workflow decides whether it is allowed."""

    submit_label = None
    to = forms.ChoiceField(choices=Review.Status.choices, widget=forms.HiddenInput)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    @classmethod
    def offering(cls, move) -> "MoveForm":
        """The form for one move the workflow offers: its note, if it asks for one, and button."""
        form = cls(initial={"to": move.to}, auto_id=f"move-{move.to}-%s")
        layout = [Field("to")]
        if move.note:
            form.fields["note"].label = move.note
            layout.append(Field.textarea("note", rows=2))
        kind = "primary" if move.primary else "secondary"
        layout.append(PageButton("move", escape(move.label), kind=kind))
        form.helper.layout = Layout(*layout)
        return form


class PageButtonsForm(GDSFormMixin, forms.Form):
    """The buttons under a page of questions: save and go on, or save and stay."""

    submit_label = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["continue"] = pressed()
        buttons = [
            PageButton("continue", "Save and continue"),
            PageButton("save", "Save", kind="secondary"),
        ]
        self.helper.layout = Layout(button_group(*buttons))

    def goes_on(self) -> bool:
        return self.is_valid() and self.cleaned_data["continue"]


class SubmitCaseForm(GDSFormMixin, forms.Form):
    """The inspector's button that sends the case to their lead."""

    submit_label = None

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        label = format_html("Submit case <bdi>{}</bdi>", case.case_ref)
        self.helper.layout = Layout(PageButton("submit", label))


EXPIRED = "The form has expired: choose the cases again"


class _ModerationChoiceForm(GDSFormMixin, forms.Form):
    """Each rendering carries its own request id: a resent form chooses nothing more."""

    submit_label = None
    ids = ""  # each form's own prefix for its elements' ids: both are on one page
    request_id = forms.UUIDField(
        widget=forms.HiddenInput,
        initial=uuid.uuid4,
        error_messages={"required": EXPIRED, "invalid": EXPIRED},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id=f"{self.ids}-%s", **kwargs)


class ModerationSampleForm(_ModerationChoiceForm):
    """A random draw of each inspector's submitted cases for moderation."""

    ids = "sample"

    sample = pressed()
    per_inspector = forms.IntegerField(
        label="Random sample: how many submitted cases of each inspector",
        initial=2,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many cases to draw for each inspector",
            "invalid": "Enter how many cases to draw for each inspector",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.text("per_inspector", field_width=3),
            Field("request_id"),
            PageButton("sample", "Draw the sample", data_prevent_double_click="true"),
        )


class _CasesField(forms.MultipleChoiceField):
    """Shows the cases that may be chosen; accepts any of the inspection's (the form looks
    them up), so that the service can say which cannot be moderated and find what a resent
    form chose."""

    def valid_value(self, value):
        return True


CHOOSE = "Select the cases and the inspector to moderate them"


class ModerationAssignForm(_ModerationChoiceForm):
    """Cases the lead picks, and the inspector who moderates them."""

    ids = "assign"

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.inspection = inspection
        moderators = possible_moderators(inspection=inspection)
        self.moderators = {str(person.pk): person for person in moderators}
        shown = [
            (
                str(c.public_id),
                format_html(
                    "<bdi>{}</bdi> (reviewed by {})",
                    c.case_ref,
                    c.allocated_to.username if c.allocated_to else "nobody now",
                ),
            )
            for c in eligible_cases(inspection=inspection).order_by("case_ref")
        ]
        self.fields["cases"] = _CasesField(
            label="Or pick cases yourself",
            choices=shown,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": CHOOSE},
        )
        self.fields["moderator"] = forms.ChoiceField(
            label="Moderated by",
            choices=[(pk, person.username) for pk, person in self.moderators.items()],
            error_messages={"required": CHOOSE, "invalid_choice": CHOOSE},
        )
        self.helper.layout = Layout(
            Field.checkboxes("cases", legend_size=Size.SMALL, small=True),
            Field.select("moderator"),
            Field("request_id"),
            PageButton(
                "assign",
                "Give the selected cases for moderation",
                kind="secondary",
                data_prevent_double_click="true",
            ),
        )

    @property
    def has_choices(self) -> bool:
        return bool(self.fields["cases"].choices)

    def clean_cases(self):
        wanted = set(self.cleaned_data["cases"])
        try:
            cases = list(self.inspection.cases.filter(public_id__in=wanted))
        except ValidationError:  # not an id at all
            cases = []
        if len(cases) != len(wanted):
            raise ValidationError(CHOOSE)
        return cases

    def clean_moderator(self):
        return self.moderators[self.cleaned_data["moderator"]]


def moderation_choice_form(data, *, inspection):
    """The form whose button sent `data`: the random draw, or the lead's own pick."""
    if "sample" in data:
        return ModerationSampleForm(data)
    return ModerationAssignForm(data, inspection=inspection)


class ModerationForm(GDSFormMixin, forms.Form):
    """The moderator's judgement and reasons on each key question; saved or submitted."""

    submit_label = None
    submit = pressed()

    def __init__(self, *args, key_questions, given, editable: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_questions = key_questions
        layout = []
        for kq in key_questions:
            judgement = given.get(kq.pk)
            self.fields[f"{kq.code}-value"] = forms.ChoiceField(
                label=escape(f"{kq.code} {kq.title}"),
                choices=ModerationJudgement.Value.choices,
                required=False,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": f"Select Yes, No or Not applicable for {kq.code}."
                },
                initial=judgement.value if judgement else None,
                disabled=not editable,
            )
            self.fields[f"{kq.code}-reasons"] = forms.CharField(
                label=escape(f"Your reasons for {kq.code}"),
                required=False,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=judgement.reasons if judgement else "",
                disabled=not editable,
            )
            layout += [
                Field.radios(f"{kq.code}-value", legend_size=Size.SMALL, small=True, inline=True),
                Field.textarea(f"{kq.code}-reasons", rows=2),
            ]
        if editable:
            buttons = [
                PageButton("submit", "Submit the moderation"),
                PageButton("save", "Save", kind="secondary"),
            ]
            layout.append(button_group(*buttons))
        self.helper.layout = Layout(*layout)

    @classmethod
    def of(cls, moderation, *, data=None) -> "ModerationForm":
        """The form for `moderation`, holding what the moderator gave so far."""
        return cls(
            data,
            key_questions=moderation_key_questions(moderation=moderation),
            given={j.key_question_id: j for j in moderation.judgements.all()},
            editable=moderation.status == Moderation.Status.ASSIGNED,
        )

    def judgements(self) -> dict[str, tuple[str, str]]:
        """Return {key question code: (value, reasons)} as the service takes them."""
        data = self.cleaned_data
        return {
            kq.code: (data[f"{kq.code}-value"], data[f"{kq.code}-reasons"])
            for kq in self.key_questions
        }


class DashboardFilterForm(GDSFormMixin, forms.Form):
    """The dashboard's filters (a GET form): a value it does not offer filters nothing."""

    submit_label = None
    inspector = forms.ChoiceField(label="Inspector", required=False)
    provider = forms.ChoiceField(
        label="Provider", required=False, choices=[("", "All"), *Provider.Kind.choices]
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "All"), (NOT_STARTED, "Not started"), *Review.Status.choices],
    )
    flagged = forms.BooleanField(label="Flagged only", required=False)

    def __init__(self, *args, inspectors, **kwargs):
        super().__init__(*args, auto_id="filter-%s", **kwargs)
        self.helper.form_method = "get"
        self.fields["inspector"].choices = [("", "All"), *((u, u) for u in inspectors)]
        self.helper.layout = Layout(
            *(
                Div(Field.select(name), css_class="app-filter")
                for name in ("inspector", "provider", "status")
            ),
            Div(Field.checkbox("flagged", small=True), css_class="app-filter"),
            PageButton(
                "filter", "Filter the cases", kind="secondary", css_class="app-filter__button"
            ),
        )

    def filters(self) -> dict[str, str]:
        """The filters asked for that the form offers; empty ones left out."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}
