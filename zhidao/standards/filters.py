"""The filters of the assessment, honour and activity lists (pages and API)."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters

from zhidao.core.filters import IntegerFilter, ListFilterSet, for_request, search_filter
from zhidao.core.selectors import apply_search, list_order
from zhidao.orgs.selectors import unions_visible_to

from .models import Activity, ActivityKind, Assessment, AssessmentKind, Honour, HonourLevel


def _union_filter() -> filters.ModelChoiceFilter:
    return filters.ModelChoiceFilter(queryset=for_request(unions_visible_to))


class AssessmentFilterSet(ListFilterSet):
    q = search_filter(help_text=_("The union's name, its pinyin or its initials."))
    kind = filters.ChoiceFilter(
        label=pgettext_lazy("standards", "Kind"),
        choices=AssessmentKind.choices,
        empty_label=_("All"),
    )
    union = _union_filter()

    bar_fields = ("kind",)

    class Meta:
        model = Assessment
        fields = ["q", "kind", "union"]

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return apply_search(queryset, value, prefix="union__", then_by=list_order(queryset))


class HonourFilterSet(ListFilterSet):
    q = search_filter(help_text=_("The union's name, the person's name or the title."))
    level = filters.ChoiceFilter(
        label=_("Level"), choices=HonourLevel.choices, empty_label=_("All")
    )
    year = IntegerFilter(label=_("Year"), min_value=1950, max_value=2100)
    union = _union_filter()

    bar_fields = ("level", "year")

    class Meta:
        model = Honour
        fields = ["q", "level", "year", "union"]

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return apply_search(
            queryset,
            value,
            prefix="union__",
            also=Q(person_name__icontains=value) | Q(title__name__icontains=value),
            then_by=list_order(queryset),
        )


class ActivityFilterSet(ListFilterSet):
    q = search_filter(help_text=_("The union's name or the title."))
    kind = filters.ChoiceFilter(
        label=pgettext_lazy("standards", "Kind"), choices=ActivityKind.choices, empty_label=_("All")
    )
    union = _union_filter()

    bar_fields = ("kind",)

    class Meta:
        model = Activity
        fields = ["q", "kind", "union"]

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return apply_search(
            queryset,
            value,
            prefix="union__",
            also=Q(title__icontains=value),
            then_by=list_order(queryset),
        )
