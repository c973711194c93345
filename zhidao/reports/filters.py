"""The filters of the quarterly report list (page and API); the roll-up reads its period."""

from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters

from zhidao.core.filters import (
    BooleanSelect,
    CheckboxFilterInput,
    IntegerFilter,
    ListFilterSet,
    for_request,
    search_filter,
)
from zhidao.core.selectors import apply_search, list_order
from zhidao.dispatch.selectors import assignments_visible_to

from .forms import QUARTER_CHOICES
from .models import QuarterlyReport, ReportStatus
from .reminders import REPORT_DUE_SOON_DAYS, REPORT_OPEN_STATES

ALL = pgettext_lazy("filter", "All")


def due_soon_q(today: date) -> Q:
    """Reports the instructor still owes, due within the reminder's days or overdue."""
    return Q(
        status__in=REPORT_OPEN_STATES,
        due_on__lte=today + timedelta(days=REPORT_DUE_SOON_DAYS),
    )


class ReportFilterSet(ListFilterSet):
    q = search_filter(help_text=_("The instructor's name, its pinyin or its initials."))
    year = IntegerFilter(label=_("Year"), min_value=2000, max_value=2100)
    quarter = filters.ChoiceFilter(label=_("Quarter"), choices=QUARTER_CHOICES, empty_label=ALL)
    status = filters.ChoiceFilter(label=_("Status"), choices=ReportStatus.choices, empty_label=ALL)
    is_late = filters.BooleanFilter(
        label=_("Submitted late"),
        widget=BooleanSelect(blank=ALL, yes=_("Late"), no=_("On time")),
    )
    due = filters.BooleanFilter(
        label=_("Due soon or overdue"),
        widget=CheckboxFilterInput,
        method="filter_due",
        help_text=_("Still owed and due within 3 days or overdue (false: every report)."),
    )
    assignment = filters.ModelChoiceFilter(queryset=for_request(assignments_visible_to))

    bar_fields = ("year", "quarter", "status", "is_late", "due")

    class Meta:
        model = QuarterlyReport
        fields = ["q", "year", "quarter", "status", "is_late", "due", "assignment"]

    def filter_due(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(due_soon_q(timezone.localdate())) if value else queryset

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return apply_search(
            queryset, value, prefix="assignment__instructor__", then_by=list_order(queryset)
        )

    def period(self) -> tuple[int | None, int | None]:
        """The year and the quarter asked for, each None when missing or wrong."""
        self.form.is_valid()
        cleaned = self.form.cleaned_data
        quarter = cleaned.get("quarter")
        return cleaned.get("year"), int(quarter) if quarter else None
