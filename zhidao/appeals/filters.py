"""The filters of the staff's appeal list, its statistics and its export (pages and API).

The search box finds ticket codes and organization names only: never the submitter, whose
contact is encrypted and must not be searchable."""

from django.db.models import Q, QuerySet
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from zhidao.accounts.scope import scope_of
from zhidao.core.autocomplete import AutocompleteSelect
from zhidao.core.filters import (
    CheckboxFilterInput,
    IntegerFilter,
    ListFilterSet,
    search_filter,
)
from zhidao.core.selectors import apply_search, list_order
from zhidao.orgs.selectors import organizations_visible_to

from .models import OPEN_STATES, Appeal, AppealCategory, AppealChannel, AppealState
from .services import overdue_q


class AppealFilterSet(ListFilterSet):
    q = search_filter(help_text=_("The ticket code or the organization's name."))
    category = filters.ChoiceFilter(
        label=_("Category"), choices=AppealCategory.choices, empty_label=_("All")
    )
    state = filters.ChoiceFilter(
        label=_("State"), choices=AppealState.choices, empty_label=_("All")
    )
    channel = filters.ChoiceFilter(
        label=_("Channel"), choices=AppealChannel.choices, empty_label=_("All")
    )
    organization = IntegerFilter(label=_("Organization"))
    overdue = filters.BooleanFilter(
        label=_("Overdue only"),
        widget=CheckboxFilterInput,
        method="filter_overdue",
        help_text=_("Only the appeals past a deadline (false: every appeal)."),
    )
    open = filters.BooleanFilter(
        label=_("Open only"),
        widget=CheckboxFilterInput,
        method="filter_open",
        help_text=_("Only the appeals still being handled (false: every appeal)."),
    )
    mine = filters.BooleanFilter(
        label=_("Assigned to me"),
        widget=CheckboxFilterInput,
        method="filter_mine",
        help_text=_("Only the appeals assigned to you, an instructor (false: every appeal)."),
    )

    bar_fields = ("category", "state", "channel", "organization", "overdue", "open", "mine")

    class Meta:
        model = Appeal
        fields = [
            "q",
            "category",
            "state",
            "channel",
            "organization",
            "overdue",
            "open",
            "mine",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        user = self.user
        # A province's appeals name tens of thousands of organizations: the page holds the
        # chosen one and the box finds others as the user types; the API takes any id.
        widget = AutocompleteSelect(
            reverse_lazy("orgs:organization_autocomplete"),
            chosen=lambda ids: (
                organizations_visible_to(user).filter(pk__in=ids).values_list("pk", "name")
            ),
        )
        widget.blank_label = _("All")
        self.filters["organization"].extra["widget"] = widget

    def bar_names(self) -> list[str]:
        names = super().bar_names()
        if not scope_of(self.user).is_instructor:
            names.remove("mine")
        return names

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return apply_search(
            queryset,
            value,
            prefix="organization__",
            also=Q(code__icontains=value.strip().upper()),
            then_by=list_order(queryset),
        )

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(overdue_q(timezone.localdate())) if value else queryset

    def filter_open(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(state__in=OPEN_STATES) if value else queryset

    def filter_mine(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if not value:
            return queryset
        instructor_id = scope_of(self.user).instructor_id
        if instructor_id is None:
            return queryset.none()  # only instructors are assigned appeals
        return queryset.filter(assigned_instructor_id=instructor_id)
