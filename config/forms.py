"""Forms shared by every app: the GOV.UK set-up lives here, once."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError


class GDSFormMixin:
    """Render with the GOV.UK Design System through crispy-forms-gds."""

    submit_label: str | None = "Continue"  # None: the page supplies its own buttons

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # templates write the <form>, with CSRF and hidden fields
        self.helper.label_size = Size.SMALL
        if self.submit_label:
            self.helper.add_input(Submit("submit", self.submit_label))


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
