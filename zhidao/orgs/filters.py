"""The filters of the federation, organization and union lists (pages and API), and the
federation-subtree filter other rooms' lists use."""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters
from django_filters.constants import EMPTY_VALUES

from zhidao.accounts.scope import scope_of
from zhidao.core.filters import (
    BooleanSelect,
    ListFilterSet,
    for_request,
    search_filter,
    values_in_use,
)
from zhidao.core.selectors import apply_search

from . import selectors
from .forms import ALL, FederationChoiceField, base_depth, sub_kind_choices
from .models import (
    Federation,
    FederationLevel,
    Industry,
    Organization,
    OrganizationKind,
    OrganizationStatus,
    OrganizationSubKind,
    Union,
    UnionStatus,
)
from .validators import could_begin_credit_code

SEARCH_HELP = _("Name, its pinyin, its initials or a code prefix")


def works_on_the_tree(user) -> bool:
    """Federation staff filter by federation; instructors and union officers work outside the
    tree, so their filter bars offer no federation."""
    scope = scope_of(user)
    return scope.is_federation_staff or scope.is_superuser


class FederationSubtreeFilter(filters.ModelChoiceFilter):
    """Rows whose federation is the chosen one or any federation below it; the select lists the
    user's federations in tree order, indented by level."""

    field_class = FederationChoiceField

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", for_request(selectors.federation_choices))
        kwargs.setdefault("label", _("Federation (with subordinates)"))
        kwargs.setdefault("empty_label", ALL)
        kwargs.setdefault("help_text", _("Federation, including the federations below it"))
        super().__init__(**kwargs)

    @property
    def field(self):
        parent = getattr(self, "parent", None)
        self.extra["base_depth"] = base_depth(parent.user) if parent is not None else 0
        return super().field

    def filter(self, queryset: QuerySet, value: Any) -> QuerySet:
        if value in EMPTY_VALUES:
            return queryset
        return queryset.filter(**{f"{self.field_name}__path__startswith": value.path})


class FederationFilterSet(ListFilterSet):
    q = search_filter()
    search = search_filter(help_text=_("Name, its pinyin or its initials (the same as q)."))
    level = filters.ChoiceFilter(
        label=pgettext_lazy("federation", "Level"), choices=FederationLevel.choices, empty_label=ALL
    )
    parent = filters.ModelChoiceFilter(queryset=for_request(selectors.federations_visible_to))

    bar_fields = ("level",)

    class Meta:
        model = Federation
        fields = ["q", "search", "level", "parent"]

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return apply_search(queryset, value)


class _TreeListFilterSet(ListFilterSet):
    """The organization and union lists: filtered by federation subtree, searched by name, full
    pinyin and initials, best match first (zhidao/core/selectors.py)."""

    q = search_filter()
    search = search_filter(help_text=_("The same as q."))
    federation = FederationSubtreeFilter()

    search_prefix_fields: tuple[str, ...] = ()

    def bar_names(self) -> list[str]:
        names = super().bar_names()
        if not works_on_the_tree(self.user):
            names.remove("federation")
        return names

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return apply_search(queryset, value, extra_exact=self.search_prefix_fields_for(value))

    def search_prefix_fields_for(self, value: str) -> tuple[str, ...]:
        return self.search_prefix_fields


class OrganizationFilterSet(_TreeListFilterSet):
    COVERED = "covered"
    UNCOVERED = "uncovered"

    search = search_filter(help_text=SEARCH_HELP)
    kind = filters.ChoiceFilter(
        label=pgettext_lazy("organization", "Kind"),
        choices=OrganizationKind.choices,
        empty_label=ALL,
    )
    # Grouped under their kinds on the page (see __init__); listed flat in the API schema.
    sub_kind = filters.ChoiceFilter(
        label=_("Sub-kind"), choices=OrganizationSubKind.choices, empty_label=ALL
    )
    industry = filters.ChoiceFilter(label=_("Industry"), choices=Industry.choices, empty_label=ALL)
    district = filters.CharFilter(label=_("District"))
    status = filters.ChoiceFilter(
        label=_("Status"), choices=OrganizationStatus.choices, empty_label=ALL
    )
    coverage = filters.ChoiceFilter(
        label=_("Instructor"),
        choices=[(COVERED, _("Has an active instructor")), (UNCOVERED, _("No instructor"))],
        empty_label=ALL,
        method="filter_coverage",
        help_text=_("Whether an instructor is stationed there today."),
    )
    union = filters.ModelChoiceFilter(queryset=for_request(selectors.unions_visible_to))

    search_prefix_fields = ("credit_code",)
    bar_fields = ("federation", "kind", "sub_kind", "industry", "district", "status", "coverage")

    class Meta:
        model = Organization
        fields = [
            "q",
            "search",
            "federation",
            "kind",
            "sub_kind",
            "industry",
            "district",
            "status",
            "coverage",
            "union",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["sub_kind"].extra["choices"] = sub_kind_choices()
        user = self.user
        self.filters["district"].extra["widget"] = values_in_use(
            lambda: selectors.organization_districts(user), blank=ALL
        )

    def search_prefix_fields_for(self, value: str) -> tuple[str, ...]:
        # jl or 吉利 starts no credit code: the search compares the names alone.
        return self.search_prefix_fields if could_begin_credit_code(value) else ()

    def filter_coverage(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        running = selectors.has_active_assignment_q(timezone.localdate())
        return queryset.filter(running if value == self.COVERED else ~running)


class UnionFilterSet(_TreeListFilterSet):
    is_joint = filters.BooleanFilter(
        label=_("Type"),
        widget=BooleanSelect(blank=ALL, yes=_("Joint union"), no=_("Single-organization union")),
    )
    status = filters.ChoiceFilter(label=_("Status"), choices=UnionStatus.choices, empty_label=ALL)

    bar_fields = ("federation", "is_joint", "status")

    class Meta:
        model = Union
        fields = ["q", "search", "federation", "is_joint", "status"]
