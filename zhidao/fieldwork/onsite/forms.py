"""Forms of the on-site pages: display and field checks only; saving goes through services."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zhidao.fieldwork.onsite.selectors import Place


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos at once; their content is checked by the service (clean_image)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", MultipleImageInput(attrs={"accept": "image/*", "class": "photo-input"})
        )
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(PhotosField, self).clean(item, initial) for item in files]


class _LocationFields(forms.Form):
    latitude = forms.FloatField(
        required=False, min_value=-90, max_value=90, widget=forms.HiddenInput
    )
    longitude = forms.FloatField(
        required=False, min_value=-180, max_value=180, widget=forms.HiddenInput
    )
    accuracy_m = forms.FloatField(required=False, min_value=0, widget=forms.HiddenInput)

    def location(self) -> dict:
        # As the browser gave them: the service rounds them to what is stored.
        return {key: self.cleaned_data.get(key) for key in ("latitude", "longitude", "accuracy_m")}


CODE_WIDGET = forms.TextInput(
    attrs={
        "inputmode": "numeric",
        "autocomplete": "one-time-code",
        "pattern": "[0-9]*",
        "maxlength": "6",
        "class": "code-input",
        "placeholder": "······",
    }
)


class CheckInForm(_LocationFields):
    client_uuid = forms.UUIDField(widget=forms.HiddenInput)
    place = forms.ChoiceField(
        label=_("Where are you?"),
        widget=forms.RadioSelect(attrs={"class": "place-choice"}),
        error_messages={"required": _("Choose the organization where you are.")},
    )
    summary = forms.CharField(
        label=_("What was done"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(
            attrs={"rows": 4, "placeholder": _("e.g. met the union chair, checked the rules")}
        ),
    )
    photos = PhotosField(
        label=_("Photos"), help_text=_("Optional. Location data is removed from the photos.")
    )
    code = forms.CharField(
        label=_("Officer's code"),
        required=False,
        max_length=6,
        widget=CODE_WIDGET,
        help_text=_(
            "Optional. If the union officer is with you, type the 6-digit code on their "
            "screen: the day is confirmed at once."
        ),
    )
    field_order = ["place", "summary", "photos", "code"]

    def __init__(self, *args, places: list[Place], **kwargs):
        super().__init__(*args, **kwargs)
        self.places = {place.value: place for place in places}
        self.fields["place"].choices = [
            (place.value, f"{place.organization_name}（{place.batch_name}）") for place in places
        ]
        if not self.is_bound and not self.initial.get("client_uuid"):
            self.initial["client_uuid"] = uuid.uuid4()

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if code and not (code.isdigit() and len(code) == 6):
            raise ValidationError(_("The code has 6 digits."))
        return code

    def chosen_place(self) -> Place:
        return self.places[self.cleaned_data["place"]]


class CheckOutForm(forms.Form):
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, required=False)
    summary = forms.CharField(
        label=_("What was done"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photos = PhotosField(
        label=_("Add photos"), help_text=_("Optional. Location data is removed from the photos.")
    )


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Officer's code"), max_length=6, widget=CODE_WIDGET)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not (code.isdigit() and len(code) == 6):
            raise ValidationError(_("The code has 6 digits."))
        return code


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you dispute this day?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Say why you dispute this day, so the instructor can answer.")
        },
    )
