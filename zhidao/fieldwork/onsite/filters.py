"""The filters of the on-site day list (page and API)."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from zhidao.accounts.scope import scope_of
from zhidao.core.filters import CheckboxFilterInput, ListFilterSet, for_request, search_filter
from zhidao.core.selectors import apply_search, list_order
from zhidao.dispatch.filters import instructor_filter
from zhidao.dispatch.forms import DateInput
from zhidao.dispatch.selectors import assignments_visible_to
from zhidao.fieldwork.models import OnSiteDay, OnSiteDayStatus
from zhidao.orgs.selectors import organizations_visible_to


class OnSiteDayFilterSet(ListFilterSet):
    q = search_filter(help_text=_("The organization's name, pinyin, initials or credit code."))
    status = filters.ChoiceFilter(
        label=_("Status"), choices=OnSiteDayStatus.choices, empty_label=_("All statuses")
    )
    instructor = instructor_filter()
    date_from = filters.DateFilter(
        field_name="on_date", lookup_expr="gte", label=_("From"), widget=DateInput
    )
    date_to = filters.DateFilter(
        field_name="on_date", lookup_expr="lte", label=_("To"), widget=DateInput
    )
    is_far = filters.BooleanFilter(label=_("Far away only"), widget=CheckboxFilterInput)
    organization = filters.ModelChoiceFilter(queryset=for_request(organizations_visible_to))
    assignment = filters.ModelChoiceFilter(queryset=for_request(assignments_visible_to))

    bar_fields = ("status", "instructor", "date_from", "date_to", "is_far")

    class Meta:
        model = OnSiteDay
        fields = [
            "q",
            "status",
            "instructor",
            "date_from",
            "date_to",
            "is_far",
            "organization",
            "assignment",
        ]

    def bar_names(self) -> list[str]:
        names = super().bar_names()
        scope = scope_of(self.user)
        if scope.is_instructor and not (scope.is_federation_staff or scope.is_superuser):
            names.remove("instructor")  # an instructor's list holds only its own days
        return names

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return apply_search(
            queryset,
            value,
            prefix="organization__",
            extra_exact=("credit_code",),
            then_by=list_order(queryset),
        )
