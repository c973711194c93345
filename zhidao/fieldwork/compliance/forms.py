"""Forms of the compliance heat map and the leave pages: display and field checks only."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhidao.core.autocomplete import AutocompleteSelect
from zhidao.dispatch.filters import BatchChoiceField
from zhidao.dispatch.forms import DateInput
from zhidao.fieldwork.compliance.selectors import DEFAULT_WEEKS
from zhidao.fieldwork.models import LeaveKind

WEEK_CHOICES = [(4, _("4 weeks")), (8, _("8 weeks")), (12, _("12 weeks")), (26, _("26 weeks"))]
WEEK_CHOICES += [(53, _("53 weeks"))]


class NamedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class HeatmapFilterForm(forms.Form):
    end = forms.DateField(label=_("Up to the week of"), required=False, widget=DateInput())
    weeks = forms.TypedChoiceField(
        label=_("Weeks shown"), choices=WEEK_CHOICES, coerce=int, required=False
    )
    federation = NamedChoiceField(label=_("Federation"), queryset=None, required=False)
    # A province has hundreds of batches: the page holds the chosen one, the box finds others
    # by the batch's name or its federation's (as on the assignment list).
    batch = BatchChoiceField(
        label=_("Batch"),
        queryset=None,
        required=False,
        widget=AutocompleteSelect(reverse_lazy("dispatch:batch_autocomplete")),
    )

    def __init__(self, data=None, *, federations, batches):
        super().__init__(data)
        self.fields["federation"].queryset = federations
        self.fields["batch"].queryset = batches

    def value(self, name: str):
        """The cleaned value, or None when the field is empty or wrong (filters never fail)."""
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get(name) if name not in self.errors else None

    def week_count(self) -> int:
        return self.value("weeks") or DEFAULT_WEEKS


class LeaveRequestForm(forms.Form):
    kind = forms.ChoiceField(label=pgettext_lazy("leave", "Kind"), choices=LeaveKind.choices)
    starts_on = forms.DateField(label=_("First day"), widget=DateInput())
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput())
    reason = forms.CharField(
        label=pgettext_lazy("leave", "Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class LeaveDecisionForm(forms.Form):
    comment = forms.CharField(
        label=pgettext_lazy("leave", "Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when rejecting."),
    )
