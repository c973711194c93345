"""The filters of the event and case lists (pages and API)."""

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters

from zhidao.core.filters import CheckboxFilterInput, ListFilterSet, search_filter

from .models import Case, CaseStatus, Event, EventKind
from .selectors import search_cases


class EventFilterSet(ListFilterSet):
    q = search_filter(help_text=_("Words of the title or the speaker's name."))
    kind = filters.ChoiceFilter(
        label=pgettext_lazy("exchange event", "Kind"),
        choices=EventKind.choices,
        empty_label=_("All kinds"),
    )
    upcoming = filters.BooleanFilter(
        label=_("Upcoming only"),
        widget=CheckboxFilterInput,
        method="filter_upcoming",
        help_text=_("From today on, soonest first (false: every event)."),
    )

    bar_fields = ("kind", "upcoming")

    class Meta:
        model = Event
        fields = ["q", "kind", "upcoming"]

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(title__icontains=value) | Q(speaker__icontains=value))

    def filter_upcoming(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(held_on__gte=timezone.localdate()).order_by(
            "held_on", "starts_at", "id"
        )


class CaseFilterSet(ListFilterSet):
    q = search_filter(help_text=_("Words of the title, tags or text."))
    status = filters.ChoiceFilter(
        label=_("Status"), choices=CaseStatus.choices, empty_label=_("All statuses")
    )

    bar_fields = ("status",)

    class Meta:
        model = Case
        fields = ["q", "status"]

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search_cases(queryset, value)
