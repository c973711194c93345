from axes.helpers import get_client_ip_address
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from . import second_factor, services


def _address(request) -> str | None:
    """The client's address as axes (and the audit log) sees it."""
    if request is None:
        return None
    return getattr(request, "axes_ip_address", None) or get_client_ip_address(request)


class LoginForm(AuthenticationForm):
    """The same message for a wrong password and an unknown user (SECURITY.md)."""

    error_messages = {
        "invalid_login": _("The username or password is incorrect."),
        "inactive": _("The username or password is incorrect."),
        "address": _("Administrators cannot log in from this network."),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not second_factor.login_address_allowed(user, _address(self.request)):
            raise forms.ValidationError(self.error_messages["address"], code="address")

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


class OneTimeCodeForm(forms.Form):
    """The 6-digit code of the authenticator app (or, at login, a recovery code)."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
