from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhidao.dispatch.forms import DateInput
from zhidao.fieldwork.records.forms import FilesField, add_service_error
from zhidao.orgs.selectors import federations_administered_by, unions_visible_to

from .models import Case, Event
from .services import EVENT_FIELDS

__all__ = ["add_service_error"]


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = list(EVENT_FIELDS)
        widgets = {
            "held_on": DateInput(),
            "starts_at": TimeInput(),
            "ends_at": TimeInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["federation"].queryset = federations_administered_by(user)
        self.fields["host_union"].queryset = unions_visible_to(user).order_by("name")


class CaseForm(forms.ModelForm):
    images = FilesField(label=_("Pictures"), accept="image/*")
    attachments = FilesField(label=_("Attachments"))

    class Meta:
        model = Case
        fields = ["title", "union", "tags", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 12})}
        help_texts = {
            "text": _(
                "Plain text, or simple formatting (paragraphs, bold, lists); "
                "anything else is removed."
            )
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = unions_visible_to(user).order_by("name")


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Review comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=pgettext_lazy("case discussion", "Comment"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PostForm(forms.Form):
    text = forms.CharField(
        label=_("Question or answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput())
