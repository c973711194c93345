"""Forms of the public appeal page and of staff intake from other channels."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from zhidao.core.forms import blank_choice
from zhidao.core.uploads import clean_image
from zhidao.dispatch.services import normalize_work_phone
from zhidao.fieldwork.onsite.forms import PhotosField

from .models import AppealCategory, AppealChannel
from .public_services import MAX_PHOTOS, MAX_TEXT

PHOTO_MAX_BYTES = 5 * 1024 * 1024

ANONYMOUS = "anonymous"
NAMED = "named"


def _consent_help() -> str:
    """The retention the tick applies (appeals.services.erase_expired_contacts), in words."""
    days = settings.APPEALS_CONTACT_RETENTION_DAYS
    return ngettext(
        "Only the staff handling your appeal can see them; your employer cannot. They are "
        "stored encrypted and erased %(days)d day after the appeal is closed.",
        "Only the staff handling your appeal can see them; your employer cannot. They are "
        "stored encrypted and erased %(days)d days after the appeal is closed.",
        days,
    ) % {"days": days}


class AppealForm(forms.Form):
    # Starts at 请选择: a worker picks the category, none is preselected for them.
    category = forms.ChoiceField(
        label=_("What is it about?"), choices=blank_choice(AppealCategory.choices)
    )
    description = forms.CharField(
        label=_("Describe the matter"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_TEXT}),
        help_text=_(
            "What happened, since when, how many people are affected. Up to 2000 characters."
        ),
    )
    photos = PhotosField(
        label=_("Photos (optional, up to 3)"),
        help_text=_("Pictures only, up to 5 MB each."),
    )
    identity = forms.ChoiceField(
        label=_("Stay anonymous?"),
        choices=[(ANONYMOUS, _("Anonymous")), (NAMED, _("Leave my contact details"))],
        widget=forms.RadioSelect,
        initial=ANONYMOUS,
    )
    name = forms.CharField(label=_("Your name"), max_length=50, required=False)
    phone = forms.CharField(label=_("Your phone"), max_length=20, required=False)
    consent = forms.BooleanField(
        label=_("I agree that the union uses my name and phone to handle this appeal"),
        required=False,
        help_text=lazy(_consent_help, str)(),
    )

    def clean_photos(self):
        files = self.cleaned_data.get("photos") or []
        if len(files) > MAX_PHOTOS:
            raise ValidationError(_("At most %(count)d photos."), params={"count": MAX_PHOTOS})
        return [clean_image(upload, max_bytes=PHOTO_MAX_BYTES) for upload in files]

    def clean(self):
        data = super().clean()
        if data.get("identity") == NAMED:
            if not (data.get("name") or "").strip():
                self.add_error("name", _("Enter your name, or choose to stay anonymous."))
            phone = data.get("phone") or ""
            if not phone.strip():
                self.add_error("phone", _("Enter a phone number, or choose to stay anonymous."))
            else:
                try:
                    data["phone"] = normalize_work_phone(phone)
                except ValidationError as error:
                    self.add_error("phone", error.message_dict["phone"])
            if self._require_consent and not data.get("consent"):
                self.add_error(
                    "consent", _("Agree to the use of your contact details, or stay anonymous.")
                )
        else:
            data["name"] = data["phone"] = ""
        return data

    _require_consent = True

    @property
    def anonymous(self) -> bool:
        return self.cleaned_data.get("identity") != NAMED

    def submission(self) -> dict:
        """The checked values as keyword arguments of public_services.submit_appeal."""
        data = self.cleaned_data
        return {
            "category": data["category"],
            "description": data["description"],
            "anonymous": self.anonymous,
            "name": data["name"],
            "phone": data["phone"],
            "consent": data["consent"],
            "photos": data["photos"],
        }


class StaffAppealForm(AppealForm):
    """An appeal received by phone, on site, on the 12351 hotline or by letter."""

    _require_consent = False

    organization = forms.ModelChoiceField(label=_("Organization"), queryset=None)
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[c for c in AppealChannel.choices if c[0] != AppealChannel.QR],
    )

    field_order = ["organization", "channel", "category", "description"]

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["consent"].label = _("The person agreed that we keep their contact details")
        self.fields["identity"].label = _("Anonymous?")


class TicketLookupForm(forms.Form):
    code = forms.CharField(
        label=_("Ticket code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "placeholder": "K7M-49Q-XTZ",
            }
        ),
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Add a message"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_TEXT}),
    )


class RatingForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("How satisfied are you with the handling?"),
        choices=[
            (5, _("5 Very satisfied")),
            (4, _("4 Satisfied")),
            (3, _("3 Acceptable")),
            (2, _("2 Dissatisfied")),
            (1, _("1 Very dissatisfied")),
        ],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
