"""The filters of the work-record, finding and practical-matter lists (pages and API)."""

from datetime import date
from functools import cached_property
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters

from zhidao.accounts.scope import scope_of
from zhidao.core.filters import (
    CheckboxFilterInput,
    ListFilterSet,
    for_request,
    search_filter,
    values_in_use,
)
from zhidao.dispatch.filters import instructor_filter
from zhidao.dispatch.forms import DateInput
from zhidao.fieldwork.models import (
    Beneficiary,
    Duty,
    Finding,
    FindingCategory,
    FindingStatus,
    PracticalMatter,
    PracticalMatterCategory,
    PracticalMatterStatus,
    WorkRecord,
)
from zhidao.orgs.selectors import organizations_visible_to

from . import selectors

# The rectification states in which the union owes an answer.
AWAITING_UNION = (FindingStatus.OPEN, FindingStatus.REOPENED)

SEARCH_HELP = _("The organization's name, pinyin, initials or credit code.")


def overdue_findings_q(today: date) -> Q:
    """The finding filter's `overdue` and the staff's badge: past the due date and not closed.

    "Not closed" is written as the other statuses, which the index on (status, due_on) serves:
    NOT status = 'closed' made the staff's badge read all of a province's 34,000 findings on
    every page (12 ms; 27,700 of them closed)."""
    still_open = [status for status in FindingStatus.values if status != FindingStatus.CLOSED]
    return Q(due_on__lt=today) & Q(status__in=still_open)


class _OrganizationSearchFilterSet(ListFilterSet):
    q = search_filter(help_text=SEARCH_HELP)
    organization = filters.ModelChoiceFilter(queryset=for_request(organizations_visible_to))

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return selectors.search_by_organization(self.user, queryset, value)


class WorkRecordFilterSet(_OrganizationSearchFilterSet):
    duty = filters.ChoiceFilter(label=_("Duty"), choices=Duty.choices, empty_label=_("All duties"))
    instructor = instructor_filter()
    worked_after = filters.DateFilter(
        field_name="worked_on", lookup_expr="gte", label=_("From"), widget=DateInput
    )
    worked_before = filters.DateFilter(
        field_name="worked_on", lookup_expr="lte", label=_("To"), widget=DateInput
    )
    is_late = filters.BooleanFilter(label=_("Late records only"), widget=CheckboxFilterInput)

    bar_fields = ("duty", "instructor", "worked_after", "worked_before", "is_late")

    class Meta:
        model = WorkRecord
        fields = [
            "q",
            "duty",
            "instructor",
            "organization",
            "worked_after",
            "worked_before",
            "is_late",
        ]

    def bar_names(self) -> list[str]:
        names = super().bar_names()
        scope = scope_of(self.user)
        if not (scope.is_federation_staff or scope.is_union_officer or scope.is_superuser):
            names.remove("instructor")  # an instructor's list holds only its own records
        return names


class FindingFilterSet(_OrganizationSearchFilterSet):
    status = filters.ChoiceFilter(
        label=_("Status"), choices=FindingStatus.choices, empty_label=_("All statuses")
    )
    category = filters.ChoiceFilter(
        label=_("Category"), choices=FindingCategory.choices, empty_label=_("All categories")
    )
    overdue = filters.BooleanFilter(
        label=_("Overdue only"),
        widget=CheckboxFilterInput,
        method="filter_overdue",
        help_text=_("Past its due date and not closed (false: the others)."),
    )

    awaiting = filters.ChoiceFilter(
        label=_("Waiting for"),
        choices=[
            ("union", _("The union's answer")),
            ("instructor", _("The instructor's verification")),
        ],
        empty_label=pgettext_lazy("filter", "All"),
        method="filter_awaiting",
        help_text=_("union: open or reopened; instructor: answered (the workbench's links)."),
    )
    # Not on the bar: the link from a visit's follow-up to all its organization's open items.
    open = filters.BooleanFilter(
        label=_("Not yet closed"),
        widget=CheckboxFilterInput,
        method="filter_open",
        help_text=_("Open, answered or reopened (false: closed)."),
    )

    bar_fields = ("status", "awaiting", "category", "overdue")

    class Meta:
        model = Finding
        fields = ["q", "status", "awaiting", "category", "organization", "overdue", "open"]

    def filter_open(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        closed = Q(status=FindingStatus.CLOSED)
        return queryset.filter(~closed if value else closed)

    def filter_awaiting(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "union":
            return queryset.filter(status__in=AWAITING_UNION)
        return queryset.filter(status=FindingStatus.ANSWERED)

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        overdue = overdue_findings_q(timezone.localdate())
        return queryset.filter(overdue if value else ~overdue)


class PracticalMatterFilterSet(_OrganizationSearchFilterSet):
    category = filters.ChoiceFilter(
        label=_("Category"),
        choices=PracticalMatterCategory.choices,
        empty_label=_("All categories"),
    )
    status = filters.ChoiceFilter(
        label=_("Status"), choices=PracticalMatterStatus.choices, empty_label=_("All statuses")
    )
    beneficiary = filters.ChoiceFilter(
        label=_("For whom"), choices=Beneficiary.choices, empty_label=_("Workers and enterprises")
    )
    district = filters.CharFilter(field_name="organization__district", label=_("District"))
    date_from = filters.DateFilter(
        label=_("From"),
        widget=DateInput,
        method="filter_date_from",
        help_text=_("Started on or after the day (or, not started, created on or after it)."),
    )
    date_to = filters.DateFilter(
        label=_("To"),
        widget=DateInput,
        method="filter_date_to",
        help_text=_("Started on or before the day (or, not started, created on or before it)."),
    )

    bar_fields = ("category", "status", "beneficiary", "district", "date_from", "date_to")

    class Meta:
        model = PracticalMatter
        fields = [
            "q",
            "category",
            "status",
            "beneficiary",
            "organization",
            "district",
            "date_from",
            "date_to",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["district"].extra["widget"] = values_in_use(
            lambda: self.districts, blank=_("All districts")
        )

    @cached_property
    def districts(self) -> list[str]:
        return selectors.practical_matter_districts(self.user)

    def bar_names(self) -> list[str]:
        names = super().bar_names()
        if not self.districts:
            names.remove("district")  # no organization of the list has a district
        return names

    # The date range applies to the start date, or else to the creation date.
    def filter_date_from(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        undated = Q(started_on__isnull=True)
        return queryset.filter(Q(started_on__gte=value) | undated & Q(created_at__date__gte=value))

    def filter_date_to(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        undated = Q(started_on__isnull=True)
        return queryset.filter(Q(started_on__lte=value) | undated & Q(created_at__date__lte=value))
