from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .services import parse_day_lines


class ManualYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    holidays = forms.CharField(
        label=_("Public holidays"),
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": "2027-02-06 至 2027-02-13 春节"}),
        help_text=_("One date or date range per line, followed by the holiday's name."),
    )
    workdays = forms.CharField(
        label=_("Adjusted working days (调休)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "2027-02-14 调休上班"}),
        help_text=_("Saturdays or Sundays that are worked, one date or range per line."),
    )

    def clean_holidays(self):
        try:
            return parse_day_lines(self.cleaned_data["holidays"])
        except ValidationError as error:
            raise ValidationError(error.messages) from error

    def clean_workdays(self):
        try:
            return parse_day_lines(self.cleaned_data["workdays"], default_name="调休上班")
        except ValidationError as error:
            raise ValidationError(error.messages) from error
