"""Forms of the dispatch pages: display and field checks only; saving goes through services."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhidao.core.autocomplete import AutocompleteSelect
from zhidao.core.forms import add_service_error  # noqa: F401  (re-exported for views)
from zhidao.core.selectors import apply_search
from zhidao.orgs.forms import FederationChoiceField, base_depth

from . import services
from .models import Assignment, Batch, Instructor

# How many organizations the picker lists besides those already chosen; the search narrows it.
ORGANIZATION_CHOICES_SHOWN = 50


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class InstructorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Instructor) -> str:
        return obj.name


class BatchChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Batch) -> str:
        return obj.name


# ----- instructors -----

PHONE_HELP = _("A mobile number or a landline with its area code.")


class InstructorForm(forms.ModelForm):
    """Edit an instructor. The phone is shown in clear here: only its admins reach this page."""

    phone = forms.CharField(
        label=_("Work phone"),
        required=False,
        max_length=20,
        help_text=PHONE_HELP,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )

    class Meta:
        model = Instructor
        fields = ["name", "federation", "department", "title", "phone", "status"]
        labels = {
            "name": pgettext_lazy("person", "Name"),
            "federation": _("Federation"),
            "department": _("Department"),
            "title": _("Position"),
            "status": _("Status"),
        }
        field_classes = {"federation": FederationChoiceField}

    def __init__(self, *args, user, federations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["federation"].queryset = federations
        self.fields["federation"].empty_label = None
        self.fields["federation"].base_depth = base_depth(user)
        self.fields["department"].widget.attrs["placeholder"] = _("e.g. Grassroots Work Dept.")
        self.fields["title"].widget.attrs["placeholder"] = _("e.g. Deputy Director")

    def clean_phone(self) -> str:
        try:
            return services.normalize_work_phone(self.cleaned_data.get("phone", ""))
        except ValidationError as error:
            raise ValidationError(error.message_dict["phone"]) from None


class InstructorCreateForm(InstructorForm):
    """A new instructor and its login account; the account must change the password first."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Used to log in. Letters, digits and @/./+/-/_ only."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    password = forms.CharField(
        label=_("Initial password"),
        strip=False,
        help_text=_(
            "At least 8 characters with three of: lower-case letters, upper-case letters, "
            "digits and symbols; not the username. The instructor must change it at first "
            "login."
        ),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("username") and cleaned.get("password"):
            # Checked here too so every mistake shows at once, not the password after the rest.
            try:
                services.check_initial_password(
                    username=cleaned["username"],
                    password=cleaned["password"],
                    name=cleaned.get("name", ""),
                )
            except ValidationError as error:
                add_service_error(self, error)
        return cleaned

    class Meta(InstructorForm.Meta):
        fields = [
            "name",
            "username",
            "password",
            "federation",
            "department",
            "title",
            "phone",
            "status",
        ]


# ----- batches -----


class BatchForm(forms.ModelForm):
    class Meta:
        model = Batch
        fields = ["name", "year", "federation", "starts_on", "ends_on", "notes"]
        labels = {
            "name": _("Batch name"),
            "year": _("Year"),
            "federation": _("Federation"),
            "starts_on": _("Start date"),
            "ends_on": _("End date"),
            "notes": _("Notes"),
        }
        help_texts = {"ends_on": _("Leave empty for one year after the start date.")}
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "instructor": AutocompleteSelect(
                format_lazy("{}?assignable=1", reverse_lazy("dispatch:instructor_autocomplete"))
            ),
        }
        field_classes = {"federation": FederationChoiceField}

    def __init__(self, *args, user, federations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["federation"].queryset = federations
        self.fields["federation"].empty_label = None
        self.fields["federation"].base_depth = base_depth(user)
        self.fields["ends_on"].required = False
        self.fields["name"].widget.attrs["placeholder"] = _("e.g. Term 1 (2021)")


# ----- assignments -----


class OrganizationPicker(forms.CheckboxSelectMultiple):
    option_template_name = "dispatch/widgets/organization_option.html"


class AssignmentForm(forms.ModelForm):
    """Create or edit an assignment.

    The organization field accepts any organization the admin administers, but lists only the
    chosen ones and up to ORGANIZATION_CHOICES_SHOWN matches of the picker's search, so the page
    stays light with a province's 100,000 organizations and works without JavaScript.
    """

    organization_search = forms.CharField(
        label=_("Find organizations"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, pinyin, initials or credit code")}
        ),
    )

    class Meta:
        model = Assignment
        fields = [
            "batch",
            "instructor",
            "organizations",
            "starts_on",
            "ends_on",
            "min_days_per_week",
            "notes",
        ]
        labels = {
            "batch": _("Batch"),
            "instructor": _("Instructor"),
            "organizations": _("Organizations"),
            "starts_on": _("Start date"),
            "ends_on": _("End date"),
            "min_days_per_week": _("Minimum days on site per week"),
            "notes": _("Notes"),
        }
        help_texts = {
            "ends_on": _("Leave empty for a one-year term."),
            "min_days_per_week": _("The programme asks for at least one day a week."),
        }
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "organizations": OrganizationPicker(),
            "min_days_per_week": forms.NumberInput(attrs={"min": 1, "max": 7}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "instructor": AutocompleteSelect(
                format_lazy("{}?assignable=1", reverse_lazy("dispatch:instructor_autocomplete"))
            ),
        }
        field_classes = {
            "batch": BatchChoiceField,
            "instructor": InstructorChoiceField,
        }

    def __init__(self, *args, batches, instructors, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["batch"].queryset = batches
        self.fields["instructor"].queryset = instructors
        self.fields["organizations"].queryset = organizations
        self.fields["organizations"].help_text = ""
        self.fields["ends_on"].required = False
        self.fields["min_days_per_week"].min_value = 1
        self.fields["min_days_per_week"].max_value = 7
        self.fields["min_days_per_week"].error_messages.update(
            {
                "min_value": _("Enter a number of days between 1 and 7."),
                "max_value": _("Enter a number of days between 1 and 7."),
            }
        )
        self._limit_listed_organizations(organizations)

    def _chosen_organization_ids(self) -> list[int]:
        if self.is_bound:
            raw = self.data.getlist(self.add_prefix("organizations"))
        else:
            raw = self.initial.get("organizations") or []
        chosen = []
        for value in raw:
            pk = getattr(value, "pk", value)
            try:
                chosen.append(int(pk))
            except (TypeError, ValueError):
                continue
        return chosen

    def _limit_listed_organizations(self, organizations) -> None:
        chosen_ids = self._chosen_organization_ids()
        search = (self["organization_search"].value() or "").strip()
        chosen = list(organizations.filter(pk__in=chosen_ids).only("pk", "name", "credit_code"))
        others = organizations.exclude(pk__in=chosen_ids)
        # Searched: the best matches first, as on every search box; else in name order.
        if search:
            others = apply_search(others, search, extra_exact=("credit_code",))
        else:
            others = others.order_by("name", "pk")
        listed = list(others.only("pk", "name", "credit_code")[: ORGANIZATION_CHOICES_SHOWN + 1])
        self.organizations_shown = ORGANIZATION_CHOICES_SHOWN
        self.more_organizations = len(listed) > ORGANIZATION_CHOICES_SHOWN
        self.organization_search_text = search
        self.fields["organizations"].widget.choices = [
            (organization.pk, organization)
            for organization in chosen + listed[:ORGANIZATION_CHOICES_SHOWN]
        ]


class EndEarlyForm(forms.Form):
    ended_on = forms.DateField(label=_("Actual end date"), widget=DateInput())
    end_reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason the assignment ended early.")},
    )

    def clean_end_reason(self) -> str:
        reason = self.cleaned_data["end_reason"].strip()
        if not reason:
            raise ValidationError(_("Give the reason the assignment ended early."))
        return reason
