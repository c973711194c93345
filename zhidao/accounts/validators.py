"""Password rules of SECURITY.md beyond Django's own validators."""

import re

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

_CLASSES = (
    re.compile(r"[a-z]"),
    re.compile(r"[A-Z]"),
    re.compile(r"[0-9]"),
    re.compile(r"[^a-zA-Z0-9]"),
)


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule; its message changed in Django 5.2 and Django's Chinese catalogue lags."""

    def get_error_message(self):
        return ngettext(
            "The password is too short: it must have at least %(min_length)d character.",
            "The password is too short: it must have at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


class CharacterClassValidator:
    """At least three of: lower case, upper case, digit, symbol."""

    required = 3

    def validate(self, password, user=None):
        present = sum(1 for pattern in _CLASSES if pattern.search(password))
        if present < self.required:
            raise ValidationError(
                _(
                    "The password must contain at least three of: lower-case letters, "
                    "upper-case letters, digits and symbols."
                ),
                code="password_too_simple",
            )

    def get_help_text(self):
        return _(
            "Use at least three of: lower-case letters, upper-case letters, digits and symbols."
        )


class NotUsernameValidator:
    def validate(self, password, user=None):
        username = getattr(user, "username", "") or ""
        if username and password.strip().lower() == username.strip().lower():
            raise ValidationError(
                _("The password cannot be the same as the username."),
                code="password_is_username",
            )

    def get_help_text(self):
        return _("The password cannot be the same as the username.")
