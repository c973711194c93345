"""The first-run page's two forms: where (province → city, by GET) and what (names, admin)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .. import divisions
from ..divisions import Division
from .services import PlannedFederation


class DivisionChoiceForm(forms.Form):
    """Province, then a city of it or the whole province. City choices follow the province;
    a city left over from another province counts as not chosen yet."""

    province = forms.ChoiceField(label=pgettext_lazy("setup", "Province"), required=False)
    city = forms.ChoiceField(label=pgettext_lazy("setup", "City"), required=False)

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        self.province = divisions.get(data.get("province", "")) if data.get("province") else None
        if self.province is not None and self.province.level != divisions.PROVINCE:
            self.province = None
        self.fields["province"].choices = [
            ("", _("— choose a province —")),
            *((p.code, p.name) for p in divisions.provinces()),
        ]
        self.fields["city"].choices = self._city_choices()
        for name in ("province", "city"):
            self.fields[name].widget.attrs["data-setup-choice"] = name

    def _city_choices(self) -> list[tuple[str, str]]:
        if self.province is None:
            return [("", _("— choose the province first —"))]
        choices = [("", _("— choose a city —"))]
        if self.province.kind == "直辖市":
            label = _("The whole municipality: %(federation)s and its districts and counties")
        else:
            label = _("The whole province: %(federation)s and every city and county in it")
        choices.append(
            (self.province.code, label % {"federation": divisions.federation_name(self.province)})
        )
        choices += [
            (city.code, city.name)
            for city in self.province.children
            if city.level == divisions.PREFECTURE
        ]
        return choices

    def chosen_division(self) -> Division | None:
        if self.province is None or not self.is_valid():
            return None
        code = self.cleaned_data.get("city") or ""
        return divisions.get(code) if code else None


class SetupForm(forms.Form):
    """The tree's names (one field per federation, the derived name filled in) and the admin."""

    division = forms.CharField(widget=forms.HiddenInput)
    admin_username = forms.CharField(
        label=_("Admin username"),
        max_length=150,
        help_text=_("The login of the root federation's first admin, e.g. xt_admin."),
    )
    admin_full_name = forms.CharField(label=_("Admin's full name"), max_length=50, required=False)
    admin_password = forms.CharField(
        label=_("Initial password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=True),
        help_text=_(
            "Leave it empty to get a one-time password shown once. Either way the admin sets a "
            "password of their own at the first login."
        ),
    )

    def __init__(self, data=None, *, plan: list[PlannedFederation], **kwargs):
        super().__init__(data, **kwargs)
        self.plan = plan
        self.fields["division"].initial = plan[0].division.code
        for item in plan:
            self.fields[self.name_field(item)] = forms.CharField(
                label=_("Name of the federation of %(division)s")
                % {"division": item.division.name},
                max_length=100,
                initial=item.name,
            )

    @staticmethod
    def name_field(item: PlannedFederation) -> str:
        return f"name_{item.division.code}"

    def tree_rows(self) -> list[tuple[PlannedFederation, forms.BoundField]]:
        return [(item, self[self.name_field(item)]) for item in self.plan]

    def admin_fields(self) -> list[forms.BoundField]:
        return [self["admin_username"], self["admin_full_name"], self["admin_password"]]

    def names(self) -> dict[str, str]:
        return {item.division.code: self.cleaned_data[self.name_field(item)] for item in self.plan}
