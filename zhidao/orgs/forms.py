"""Forms of the orgs pages: model forms for create and edit (the lists' filters are in filters.py).

The forms only validate and display; every save goes through `services.py`.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc

from zhidao.accounts.scope import scope_of

from . import selectors
from .models import (
    SUB_KINDS_BY_KIND,
    Federation,
    Organization,
    OrganizationSubKind,
    Union,
)
from .validators import validate_credit_code

INDENT = "\u3000"  # a full-width space: tree levels line up under Chinese names


def base_depth(user) -> int:
    """The depth of the user's topmost federation, so the tree is indented from there."""
    scope = scope_of(user)
    if scope.is_superuser or not scope.federation_paths:
        return 0
    return min(path.count(".") for path in scope.federation_paths) - 1


class FederationChoiceField(forms.ModelChoiceField):
    """A federation select in tree order, each name indented by its level below the user's."""

    def __init__(self, *args, base_depth: int = 0, **kwargs):
        self.base_depth = base_depth
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Federation) -> str:
        return INDENT * max(obj.depth - self.base_depth, 0) + obj.name


ALL = _("All")


def sub_kind_choices() -> list:
    """Sub-kinds grouped under their kind, in the order the model declares them."""
    return [
        (
            kind.label,
            [(sub.value, sub.label) for sub in OrganizationSubKind if sub in allowed],
        )
        for kind, allowed in SUB_KINDS_BY_KIND.items()
    ]


def clean_code(value: str) -> str:
    """The code as stored: no spaces or dashes, capitals (people type it as they read it)."""
    return uscc.compact(value or "")


def coordinate_field(label, *, limit: int, **kwargs) -> forms.DecimalField:
    """An optional latitude or longitude in degrees, stored with six decimals (about 0.1 m)."""
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=-limit,
        max_value=limit,
        max_digits=9,
        decimal_places=6,
        **kwargs,
    )


# --- Create and edit ---------------------------------------------------------------------


class SectionedFormMixin:
    """Shows a long form as titled sections (`sections`: title and field names)."""

    sections: tuple = ()

    def section_list(self) -> list:
        return [
            (title, [self[name] for name in names if name in self.fields])
            for title, names in self.sections
        ]


class FederationForm(forms.ModelForm):
    class Meta:
        model = Federation
        fields = ["name", "short_name", "level", "parent", "region_code"]
        field_classes = {"parent": FederationChoiceField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_of(user)
        parents = selectors.federation_choices(user, administered=True)
        editing = self.instance.pk is not None
        if editing:
            parents = parents.exclude(path__startswith=self.instance.path)
        parent_field = self.fields["parent"]
        parent_field.queryset = parents
        parent_field.base_depth = base_depth(user)
        parent_field.required = not scope.is_superuser
        if (
            editing
            and not scope.is_superuser
            and not scope.can_administer_path(
                self.instance.parent.path if self.instance.parent_id else ""
            )
        ):
            # The admin's own top federation: its place in the tree is decided above it.
            del self.fields["parent"]
        self.fields["region_code"].help_text = _(
            "The six-digit administrative division code, e.g. 430300 for Xiangtan."
        )


class OrganizationForm(SectionedFormMixin, forms.ModelForm):
    # Declared here rather than taken from the model so that a code typed with spaces or
    # lower-case letters is normalized first and each bad kind gets its own message once.
    credit_code = forms.CharField(
        label=_("unified social credit code"),
        max_length=40,
        help_text=_("18 characters, e.g. 91430300MA4L1A2B3X."),
    )
    sub_kind = forms.ChoiceField(label=_("sub-kind"))
    latitude = coordinate_field(_("latitude"), limit=90, help_text=_("Optional, e.g. 27.8591."))
    longitude = coordinate_field(
        _("longitude"), limit=180, help_text=_("Optional, e.g. 112.9512; goes with the latitude.")
    )
    sections = (
        (_("Registration"), ["name", "credit_code", "kind", "sub_kind", "industry", "status"]),
        (_("Where it is"), ["federation", "district", "address", "latitude", "longitude"]),
        (_("Workers and union"), ["employee_count", "union"]),
    )

    class Meta:
        model = Organization
        fields = [
            "name",
            "credit_code",
            "kind",
            "sub_kind",
            "industry",
            "federation",
            "district",
            "address",
            "latitude",
            "longitude",
            "employee_count",
            "union",
            "status",
        ]
        field_classes = {"federation": FederationChoiceField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sub_kind"].choices = [("", "---------"), *sub_kind_choices()]
        self.fields["federation"].queryset = selectors.federation_choices(user, administered=True)
        self.fields["federation"].base_depth = base_depth(user)
        unions = selectors.unions_administered_by(user)
        if self.instance.union_id:
            # The union it already has stays selectable even when another federation owns it.
            unions = unions | Union.objects.filter(pk=self.instance.union_id)
        self.fields["union"].queryset = unions.only("pk", "name").order_by("name", "pk")
        self.fields["union"].empty_label = _("No union yet")
        self.fields["district"].help_text = _("The county or district, e.g. 雨湖区.")

    def clean_credit_code(self) -> str:
        code = clean_code(self.cleaned_data["credit_code"])
        validate_credit_code(code)
        return code


_CODE_SEPARATORS = re.compile(r"[\s,，、;；]+")


class UnionForm(SectionedFormMixin, forms.ModelForm):
    organization_codes = forms.CharField(
        label=_("Organizations covered"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "mono"}),
        help_text=_(
            "The unified social credit codes of the organizations this union covers, one per "
            "line. Only organizations of your federation can be chosen; a joint union may "
            "cover several."
        ),
    )

    sections = (
        (
            _("The union"),
            ["name", "federation", "chair_name", "member_count", "founded_on", "status"],
        ),
        (_("Organizations covered"), ["is_joint", "organization_codes"]),
    )

    class Meta:
        model = Union
        fields = [
            "name",
            "federation",
            "is_joint",
            "founded_on",
            "chair_name",
            "member_count",
            "status",
        ]
        field_classes = {"federation": FederationChoiceField}
        widgets = {"founded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["federation"].queryset = selectors.federation_choices(user, administered=True)
        self.fields["federation"].base_depth = base_depth(user)
        if self.instance.pk is not None and not self.is_bound:
            codes = self.instance.organizations.order_by("name").values_list(
                "credit_code", flat=True
            )
            self.initial["organization_codes"] = "\n".join(codes)

    def clean_organization_codes(self) -> list[Organization]:
        text = self.cleaned_data.get("organization_codes") or ""
        codes = [clean_code(token) for token in _CODE_SEPARATORS.split(text)]
        codes = list(dict.fromkeys(code for code in codes if code))
        candidates = selectors.organizations_administered_by(self.user)
        if self.instance.pk is not None:
            # Organizations already in the union may stay, wherever they are registered.
            candidates = candidates | Organization.objects.filter(union=self.instance)
        found = {
            organization.credit_code: organization
            for organization in candidates.filter(credit_code__in=codes)
        }
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise ValidationError(
                _("No organization of your federation has the credit code %(codes)s."),
                code="unknown_organization",
                params={"codes": "、".join(unknown)},
            )
        return [found[code] for code in codes]

    def clean(self):
        cleaned = super().clean()
        organizations = cleaned.get("organization_codes") or []
        # A single-organization union covers at most one organization (联合工会 covers several).
        if not cleaned.get("is_joint") and len(organizations) > 1:
            self.add_error(
                "organization_codes",
                _("Only a joint union may cover several organizations; tick “joint union”."),
            )
        return cleaned
