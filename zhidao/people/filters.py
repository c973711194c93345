"""The filters of the account list (page, export and API)."""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters
from django_filters.constants import EMPTY_VALUES
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from zhidao.accounts.models import Role, RoleGrant, User
from zhidao.core.filters import BooleanSelect, ListFilterSet, search_filter
from zhidao.core.selectors import subtree_q
from zhidao.dispatch.models import Instructor
from zhidao.orgs.filters import FederationSubtreeFilter

from .selectors import grants_in_subtrees_q

SEARCH_HELP = _("Username, full name or the last digits of the phone.")


@extend_schema_field(OpenApiTypes.INT)
class AccountFederationFilter(FederationSubtreeFilter):
    """Accounts holding a role in the chosen federation or below it (a union's officer by its
    union's federation, an instructor by its record's)."""

    def filter(self, queryset: QuerySet, value: Any) -> QuerySet:
        if value in EMPTY_VALUES:
            return queryset
        paths = (value.path,)
        holders = RoleGrant.objects.filter(grants_in_subtrees_q(paths)).values("user_id")
        instructors = Instructor.objects.unscoped().filter(*subtree_q(paths)).values("user_id")
        return queryset.filter(Q(pk__in=holders) | Q(pk__in=instructors))


class AccountFilterSet(ListFilterSet):
    q = search_filter(help_text=SEARCH_HELP)
    search = search_filter(help_text=SEARCH_HELP)
    role = filters.ChoiceFilter(
        label=_("Role"),
        choices=Role.choices,
        empty_label=_("All roles"),
        method="filter_role",
    )
    federation = AccountFederationFilter(label=_("Federation"), empty_label=_("All federations"))
    active = filters.BooleanFilter(
        field_name="is_active",
        label=pgettext_lazy("account", "State"),
        widget=BooleanSelect(
            blank=_("All"),
            yes=pgettext_lazy("account", "Active"),
            no=pgettext_lazy("account", "Deactivated"),
        ),
    )

    bar_fields = ("role", "federation", "active")

    class Meta:
        model = User
        fields = ["q", "search", "role", "federation", "active"]

    def filter_role(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        holders = RoleGrant.objects.filter(role=value).values("user_id")
        return queryset.filter(pk__in=holders)

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = (value or "").strip()
        if not text:
            return queryset
        condition = Q(username__icontains=text) | Q(full_name__icontains=text)
        if text.isdigit() and len(text) <= 4:
            condition |= Q(phone_suffix__endswith=text)
        elif text.isdigit() and len(text) > 4:
            # A longer number: its last four find the candidates (the phone itself is
            # encrypted); the page shows the masked phones to tell them apart.
            condition |= Q(phone_suffix=text[-4:])
        return queryset.filter(condition)
