from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import EvaluationGrade

SATISFACTION_CHOICES = [(n, str(n)) for n in range(5, 0, -1)]


class RatingForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("Satisfaction"), choices=SATISFACTION_CHOICES, coerce=int
    )
    comments = forms.CharField(
        label=pgettext_lazy("evaluation", "Comments"), required=False, widget=forms.Textarea
    )


class GradeForm(forms.Form):
    grade = forms.ChoiceField(label=_("Grade"), choices=EvaluationGrade.choices)
    comments = forms.CharField(
        label=pgettext_lazy("evaluation", "Comments"), required=False, widget=forms.Textarea
    )
