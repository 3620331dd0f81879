"""Forms shared by every app: the GOV.UK set-up lives here, once."""

from crispy_forms.utils import TEMPLATE_PACK, flatatt
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Div, Size, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string


class GDSFormMixin:
    """Render with the GOV.UK Design System through crispy-forms-gds."""

    submit_label: str | None = "Continue"  # None: the page supplies its own buttons

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # templates write the <form>, with CSRF and hidden fields
        # ...so crispy writes no token of its own: not a second one in each form of a page,
        # and none in a GET form's address.
        self.helper.disable_csrf = True
        self.helper.label_size = Size.SMALL
        if self.submit_label:
            self.helper.add_input(Submit("submit", self.submit_label))


class ButtonPressed(forms.Widget):
    """A submit button's name: pressed when the posted data holds it, whatever its value."""

    def value_from_datadict(self, data, files, name):
        return name in data

    def value_omitted_from_data(self, data, files, name):
        return False


def pressed() -> forms.BooleanField:
    """A field that says whether the button of its name sent the form."""
    return forms.BooleanField(required=False, widget=ButtonPressed)


class PageButton(Button):
    """A GOV.UK button whose label is HTML built with format_html, optionally with a value.

    crispy-forms renders a button's label as a template, so text from people (a case
    reference) could be read as template code; this button renders its label as given.
    """

    def __init__(self, name, label, *, value=None, kind="primary", css_class="", **attrs):
        css = "" if kind == "primary" else f"govuk-button--{kind}"
        super().__init__(name, label, css_class=f"{css} {css_class}".strip() or None, **attrs)
        self.button_value = value
        if value is not None:
            self.flat_attrs = flatatt({"data_module": "govuk-button", **attrs, "value": value})

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        # An id from the form's own (forms repeated on a page each have their own auto_id).
        auto_id = form.auto_id if "%s" in str(form.auto_id) else "id_%s"
        self.id = auto_id % self.name + (f"-{self.button_value}" if self.button_value else "")
        context.update({"input": self})
        return render_to_string(self.get_template_name(template_pack), context.flatten())


def button_group(*buttons) -> Div:
    """Buttons side by side, the first the page's main one."""
    return Div(*buttons, css_class="govuk-button-group")


def form_problems(form) -> str:
    """Every problem the form found, each said once, as one sentence for a message."""
    said = dict.fromkeys(str(error) for errors in form.errors.values() for error in errors)
    return " ".join(said)


class SignInForm(GDSFormMixin, AuthenticationForm):
    submit_label = "Sign in"

    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is inactive. Ask an administrator to reactivate it.",
    }

    def clean(self):
        # Django's backend treats a deactivated account as a wrong password, so its owner
        # would be told to retype it and locked out. Say what is wrong instead, before
        # authenticating, so that the right password is never counted as a failure.
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if username and password:
            user = get_user_model()._default_manager.filter(username=username).first()
            if user is not None and not user.is_active and user.check_password(password):
                raise ValidationError(self.error_messages["inactive"], code="inactive")
        return super().clean()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["password"].widget = forms.PasswordInput(
            attrs={"autocomplete": "current-password"}
        )
