"""Input of the offline sync endpoints: the same field names as the pages' forms, read from a
queued submission (JSON or multipart). Field checks only; the services decide the rest."""

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhidao.fieldwork.models import Duty

# A phone's clock may run a little fast; a time further ahead than this is refused.
CLOCK_SKEW = timedelta(minutes=10)


class _PlaceMixin:
    """The check-in page picks "assignment:organization" in one `place` field; other forms send
    `assignment` and `organization` separately. Both arrive here as the two ids."""

    def clean(self):
        data = super().clean()
        place = (data.get("place") or "").strip()
        if place:
            first, _sep, second = place.partition(":")
            if not (first.isdigit() and second.isdigit()):
                self.add_error("place", _("Choose a place from the list."))
                return data
            data["assignment"], data["organization"] = int(first), int(second)
        if not data.get("organization") and "organization" not in self.errors:
            field = "place" if "place" in self.data else "organization"
            self.add_error(field, _("Choose the organization."))
        return data


class _ClientTimeMixin:
    def _not_in_future(self, name: str):
        value = self.cleaned_data.get(name)
        if value is not None and value > timezone.now() + CLOCK_SKEW:
            raise forms.ValidationError(_("The time cannot be in the future."))
        return value


class CheckInSyncForm(_PlaceMixin, _ClientTimeMixin, forms.Form):
    client_uuid = forms.UUIDField()
    place = forms.CharField(required=False)
    assignment = forms.IntegerField(required=False, min_value=1)
    organization = forms.IntegerField(required=False, min_value=1)
    checked_in_at = forms.DateTimeField(required=False)
    # The browser gives coordinates with any number of decimals; stored to 6 (about 0.1 m).
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180)
    accuracy_m = forms.IntegerField(required=False, min_value=0)
    summary = forms.CharField(required=False)
    code = forms.CharField(required=False, max_length=8)

    def clean_checked_in_at(self):
        return self._not_in_future("checked_in_at")

    def clean(self):
        data = super().clean()
        if data.get("latitude") is None or data.get("longitude") is None:
            data["latitude"] = data["longitude"] = data["accuracy_m"] = None
        else:
            for name in ("latitude", "longitude"):
                data[name] = Decimal(str(data[name])).quantize(Decimal("0.000001"))
        return data


class CheckOutSyncForm(_ClientTimeMixin, forms.Form):
    client_uuid = forms.UUIDField()
    checked_out_at = forms.DateTimeField(required=False)
    summary = forms.CharField(required=False)

    def clean_checked_out_at(self):
        return self._not_in_future("checked_out_at")


class WorkRecordSyncForm(_PlaceMixin, forms.Form):
    client_uuid = forms.UUIDField()
    place = forms.CharField(required=False)
    assignment = forms.IntegerField(required=False, min_value=1)
    organization = forms.IntegerField(required=False, min_value=1)
    on_site_day = forms.IntegerField(required=False, min_value=1)
    duty = forms.ChoiceField(choices=Duty.choices)
    worked_on = forms.DateField()
    participants = forms.CharField(required=False, max_length=255)
    content = forms.CharField()
