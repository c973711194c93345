"""The filters of the leave request list (page and API)."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters

from zhidao.core.filters import ListFilterSet, search_filter
from zhidao.core.selectors import apply_search, list_order
from zhidao.dispatch.filters import instructor_filter
from zhidao.fieldwork.models import LeaveKind, LeaveRequest, LeaveStatus


class LeaveRequestFilterSet(ListFilterSet):
    q = search_filter(help_text=_("The instructor's name, its pinyin or its initials."))
    status = filters.ChoiceFilter(
        label=_("Status"), choices=LeaveStatus.choices, empty_label=_("All")
    )
    kind = filters.ChoiceFilter(
        label=pgettext_lazy("leave", "Kind"), choices=LeaveKind.choices, empty_label=_("All")
    )
    instructor = instructor_filter()

    bar_fields = ("status", "kind")

    class Meta:
        model = LeaveRequest
        fields = ["q", "status", "kind", "instructor"]

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return apply_search(queryset, value, prefix="instructor__", then_by=list_order(queryset))
