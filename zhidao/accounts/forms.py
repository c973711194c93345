from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from . import services


class LoginForm(AuthenticationForm):
    """The same message for a wrong password and an unknown user (SECURITY.md)."""

    error_messages = {
        "invalid_login": _("The username or password is incorrect."),
        "inactive": _("The username or password is incorrect."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "placeholder": _("Username")}
        )
        self.fields["password"].widget = forms.PasswordInput(
            attrs={"autocomplete": "current-password", "placeholder": _("Password")}
        )


class ChangePasswordForm(PasswordChangeForm):
    """Django's form (old password, new password twice, the validators); saved by the service."""

    def save(self, commit=True):
        if commit:
            services.change_password(
                user=self.user, new_password=self.cleaned_data["new_password1"]
            )
        else:
            self.user.set_password(self.cleaned_data["new_password1"])
        return self.user
