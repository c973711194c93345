"""Forms of the work-record, finding and practical-matter pages: display and field checks only;
saving goes through the services."""

import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhidao.core.forms import add_service_error  # noqa: F401  (re-exported for views)
from zhidao.dispatch.forms import DateInput
from zhidao.fieldwork.models import (
    Beneficiary,
    Duty,
    FindingCategory,
    OnSiteDay,
    PracticalMatterCategory,
    PracticalMatterStatus,
)
from zhidao.fieldwork.records.services import MATTER_FIELDS

NOT_YOUR_ORGANIZATION = _(
    "You can only record on the organizations of your active assignments; choose one from the list."
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files at once; their content is checked by the service."""

    def __init__(self, *, accept: str = "", **kwargs):
        attrs = {"accept": accept} if accept else {}
        kwargs.setdefault("widget", MultipleFileInput(attrs=attrs))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(FilesField, self).clean(item, initial) for item in files]


class PlaceField(forms.TypedChoiceField):
    """An organization of the instructor's active assignments; the view knows its assignment."""

    def __init__(self, *, places, **kwargs):
        choices = [("", "---------")] + [
            (organization.pk, organization.name) for _assignment, organization in places
        ]
        super().__init__(
            label=_("Organization"), choices=choices, coerce=int, empty_value=None, **kwargs
        )

    def valid_value(self, value) -> bool:
        # Checked in clean_organization, to answer with our own message.
        return True


class _PlaceForm(forms.Form):
    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignment_of = {organization.pk: assignment for assignment, organization in places}
        self.fields = {"organization": PlaceField(places=places), **self.fields}

    def clean_organization(self):
        organization_id = self.cleaned_data.get("organization")
        if organization_id not in self.assignment_of:
            raise ValidationError(NOT_YOUR_ORGANIZATION)
        return organization_id

    def place(self) -> dict:
        organization_id = self.cleaned_data["organization"]
        return {
            "assignment_id": self.assignment_of[organization_id].pk,
            "organization_id": organization_id,
        }


class OnSiteDayChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OnSiteDay) -> str:
        return f"{obj.on_date:%Y-%m-%d} · {obj.organization.name}"


# ----- work records -----


class _WorkRecordFields(forms.Form):
    duty = forms.ChoiceField(label=_("Duty"), choices=[("", "---------"), *Duty.choices])
    worked_on = forms.DateField(label=_("Date of the work"), widget=DateInput())
    participants = forms.CharField(
        label=_("Participants"),
        max_length=255,
        required=False,
        help_text=_("Who took part, e.g. the union chair and two worker representatives."),
    )
    content = forms.CharField(
        label=_("Content"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10_000
    )
    on_site_day = OnSiteDayChoiceField(
        label=_("On-site day"),
        queryset=OnSiteDay.objects.none(),
        required=False,
        empty_label=_("Not linked to an on-site day"),
    )
    attachments = FilesField(
        label=_("Attachments"),
        accept=".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.jpg,.jpeg,.png",
        help_text=_("PDF, Word, Excel, PowerPoint, JPEG or PNG; up to 20 MB each."),
    )

    def __init__(self, *args, on_site_days, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on_site_day"].queryset = on_site_days
        self.fields["worked_on"].help_text = _(
            "Recorded within %(days)d days of the work counts as prompt; later records are kept "
            "and marked late."
        ) % {"days": _deadline_days()}

    def record_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "duty": data["duty"],
            "worked_on": data["worked_on"],
            "participants": data["participants"],
            "content": data["content"],
            "on_site_day": data["on_site_day"],
        }


def _deadline_days() -> int:
    return settings.RECORD_PROMPT_DAYS


class WorkRecordForm(_PlaceForm, _WorkRecordFields):
    """A new record. `client_uuid` is generated when the page is shown, so a resubmission (or the
    offline queue sending it again) stores one record."""

    client_uuid = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs["initial"] = {
            "client_uuid": uuid.uuid4(),
            "worked_on": timezone.localdate(),
            **kwargs.get("initial", {}),
        }
        super().__init__(*args, **kwargs)
        order = ["client_uuid", "organization", "duty", "worked_on", "participants", "content"]
        self.order_fields(order)


class WorkRecordEditForm(_WorkRecordFields):
    pass


# ----- findings -----


class FindingForm(_PlaceForm):
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", "---------"), *FindingCategory.choices]
    )
    description = forms.CharField(
        label=_("What is missing"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5_000
    )
    recommendation = forms.CharField(
        label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5_000
    )
    found_on = forms.DateField(
        label=_("Date found"),
        required=False,  # the service takes today
        initial=timezone.localdate,
        widget=DateInput(),
        help_text=_("May be an earlier day of the term; not later than today."),
    )
    due_on = forms.DateField(label=pgettext_lazy("finding", "Due date"), widget=DateInput())


class FindingAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("What the union has done"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5_000,
    )
    evidence = FilesField(
        label=_("Evidence"),
        accept=".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.jpg,.jpeg,.png",
        help_text=_("PDF, Word, Excel, PowerPoint, JPEG or PNG; up to 20 MB each."),
    )


class FindingCloseForm(forms.Form):
    comment = forms.CharField(
        label=_("Verification note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2_000,
    )


class FindingReopenForm(forms.Form):
    comment = forms.CharField(
        label=_("What is still missing"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2_000,
    )


# ----- practical matters -----


class _PracticalMatterFields(forms.Form):
    title = forms.CharField(label=pgettext_lazy("practical matter", "Title"), max_length=200)
    beneficiary = forms.ChoiceField(
        label=_("For whom"), choices=[("", "---------"), *Beneficiary.choices]
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", "---------"), *PracticalMatterCategory.choices]
    )
    beneficiaries_count = forms.IntegerField(
        label=_("Number of beneficiaries"), min_value=0, max_value=10_000_000, initial=0
    )
    status = forms.ChoiceField(label=_("Status"), choices=PracticalMatterStatus.choices)
    funds_source = forms.CharField(
        label=_("Source of funds"),
        max_length=200,
        required=False,
        help_text=_("e.g. union funds, the enterprise, a federation grant."),
    )
    started_on = forms.DateField(label=_("Started on"), required=False, widget=DateInput())
    completed_on = forms.DateField(label=_("Completed on"), required=False, widget=DateInput())
    result = forms.CharField(
        label=pgettext_lazy("practical matter", "Result"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    photos = FilesField(
        label=_("Photos"),
        accept="image/*",
        help_text=_("JPEG, PNG or WebP; location data is removed from the pictures."),
    )

    def matter_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in MATTER_FIELDS}


class PracticalMatterForm(_PlaceForm, _PracticalMatterFields):
    pass


class PracticalMatterEditForm(_PracticalMatterFields):
    pass
