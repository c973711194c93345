"""Form helpers every app's pages share."""

from django import forms
from django.core.exceptions import ValidationError


def add_service_error(
    form: forms.BaseForm, error: ValidationError, aliases: dict | None = None
) -> None:
    """Put a service's error at the field it names (or the form field that stands for it, via
    `aliases`), or above the form when the form has no such field."""
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        field = aliases.get(field, field)
        form.add_error(field if field in form.fields else None, errors)
