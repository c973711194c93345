"""GET filter forms of the audit pages (rendered by core/includes/filters.html)."""

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .display import ACTION_LABELS
from .models import AccessEventKind
from .registry import audited_models


class _DateRangeForm(forms.Form):
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            raise ValidationError({"date_to": _("The end date cannot be before the start date.")})
        return cleaned

    def filters(self) -> dict:
        """The valid filters; a bad value is ignored rather than answered with an error page."""
        self.is_valid()
        values = {name: self.cleaned_data.get(name) for name in self.fields}
        values["actor"] = (self.data.get("q") or "").strip()
        return values


class LogEntryFilterForm(_DateRangeForm):
    action = forms.TypedChoiceField(
        label=pgettext_lazy("audit filter", "Action"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All"))] + [(value, label) for value, label in ACTION_LABELS.items()][:3],
    )
    model = forms.TypedChoiceField(label=_("Record type"), required=False, coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        content_types = ContentType.objects.get_for_models(*audited_models())
        choices = sorted(
            ((ct.pk, str(model._meta.verbose_name)) for model, ct in content_types.items()),
            key=lambda choice: choice[1],
        )
        self.fields["model"].choices = [("", _("All"))] + choices

    def filters(self) -> dict:
        values = super().filters()
        values["content_type_id"] = values.pop("model", None) or None
        return values


class AccessEventFilterForm(_DateRangeForm):
    kind = forms.ChoiceField(
        label=_("Event"), required=False, choices=[("", _("All")), *AccessEventKind.choices]
    )
