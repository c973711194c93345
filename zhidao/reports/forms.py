from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import QuarterlyReport

QUARTER_CHOICES = [(n, _("Quarter %(n)s") % {"n": n}) for n in (1, 2, 3, 4)]


class DraftForm(forms.Form):
    assignment = forms.ModelChoiceField(label=_("Assignment"), queryset=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int, choices=QUARTER_CHOICES)

    def __init__(self, *args, assignments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = assignments


class NarrativeForm(forms.ModelForm):
    class Meta:
        model = QuarterlyReport
        fields = ["work_done", "problems", "next_plan"]
        widgets = {
            "work_done": forms.Textarea(attrs={"rows": 8}),
            "problems": forms.Textarea(attrs={"rows": 5}),
            "next_plan": forms.Textarea(attrs={"rows": 5}),
        }


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class UpwardReportForm(forms.Form):
    """The subtree and the period of the upward statistical report."""

    federation = forms.ModelChoiceField(label=_("Federation"), queryset=None, empty_label=None)
    period = forms.ChoiceField(label=pgettext_lazy("period", "Period"))

    def __init__(self, *args, federations, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["federation"].queryset = federations
        self.fields["period"].choices = [(period.key, period.label) for period in periods]
