"""Forms of the staff pages: the action forms of the detail page (the list's filters are in
filters.py). Field checks only; the services decide."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhidao.dispatch.forms import InstructorChoiceField
from zhidao.dispatch.models import Instructor, InstructorStatus

NOTE = forms.CharField(
    label=_("Internal note (not shown to the submitter)"),
    required=False,
    max_length=2000,
    widget=forms.Textarea(attrs={"rows": 2}),
)


def _blank(choices, label):
    return [("", label), *choices]


class AcceptForm(forms.Form):
    instructor = InstructorChoiceField(
        label=_("Assign to an instructor"),
        queryset=Instructor.objects.none(),
        required=False,
        help_text=_("Empty: the organization's current instructor."),
    )
    department = forms.CharField(
        label=_("Or to a federation department"), required=False, max_length=100
    )
    note = NOTE

    def __init__(self, *args, federation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if federation is not None:
            # Instructors of the appeal's federation, of its ancestors and of its subtree.
            path = federation.path
            ancestors = [path[:end] for end in range(5, len(path) + 1, 5)]
            self.fields["instructor"].queryset = (
                # On purpose beyond the handler's own scope: any instructor up or down the tree.
                Instructor.objects.unscoped()
                .filter(status=InstructorStatus.ACTIVE)
                .filter(Q(federation__path__in=ancestors) | Q(federation__path__startswith=path))
                .order_by("name")
            )


class NoteForm(forms.Form):
    note = NOTE


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Reply to the submitter"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    note = NOTE


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("Answer to the submitter"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    note = NOTE


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    referral = forms.CharField(
        label=_("Where to go instead"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "E.g. the labour inspection brigade, the labour dispute arbitration committee."
        ),
    )
    note = NOTE


class EscalateForm(forms.Form):
    note = forms.CharField(
        label=_("Why escalate"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
