"""Forms of the account pages: display and field checks only; saving goes through services."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhidao.accounts.models import Role
from zhidao.core.autocomplete import AutocompleteSelect
from zhidao.dispatch.services import normalize_work_phone
from zhidao.orgs.forms import FederationChoiceField

from . import selectors
from .selectors import MANAGED_ROLES

PHONE_HELP = _("Optional. A mobile number or a landline with its area code.")
SCOPE_HELP = _(
    "Admins, leaders and rights-protection staff work for a federation (and those below it); "
    "a union officer for one union."
)


class UnionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


def role_choices() -> list[tuple[str, str]]:
    return [
        ("", "---------"),
        *((role.value, role.label) for role in Role if role in MANAGED_ROLES),
    ]


class RoleScopeForm(forms.Form):
    """A role with its scope: a federation or a union of the user's subtrees."""

    role = forms.ChoiceField(label=_("Role"), choices=role_choices)
    federation = FederationChoiceField(
        label=_("Federation"), queryset=None, required=False, help_text=SCOPE_HELP
    )
    union = UnionChoiceField(
        label=pgettext_lazy("scope", "Union"),
        queryset=None,
        required=False,
        help_text=_("Only for a union officer."),
        # Thousands of unions in a province: the box finds one by its name, pinyin or initials.
        widget=AutocompleteSelect(reverse_lazy("orgs:union_autocomplete")),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        federations = (
            selectors.grantable_federations(user)
            .only("pk", "name", "depth", "path")
            .order_by("path")
        )
        self.fields["federation"].queryset = federations
        # The admin's own federation first: most accounts it makes are of its own level.
        self.fields["federation"].initial = federations.values_list("pk", flat=True).first()
        self.fields["federation"].base_depth = selectors.account_base_depth(user)
        self.fields["union"].queryset = (
            selectors.grantable_unions(user).only("pk", "name").order_by("name", "pk")
        )

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role == Role.UNION_OFFICER:
            cleaned["federation"] = None
            if not cleaned.get("union"):
                self.add_error("union", _("Choose the union of this role."))
        elif role:
            cleaned["union"] = None
            if not cleaned.get("federation"):
                self.add_error("federation", _("Choose the federation of this role."))
        return cleaned

    def scope_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("role", "federation", "union")}


class PhoneField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Mobile phone"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("help_text", PHONE_HELP)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        try:
            return normalize_work_phone(value)
        except ValidationError as error:
            raise ValidationError(error.message_dict["phone"]) from None


class AccountForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=50)
    phone = PhoneField()


class AccountCreateForm(RoleScopeForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Used to log in. Letters, digits and @/./+/-/_ only."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=50)
    phone = PhoneField()

    field_order = ["username", "full_name", "phone", "role", "federation", "union"]
