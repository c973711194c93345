"""The filters of the instructor, batch and assignment lists (pages and API)."""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from zhidao.core.filters import (
    IntegerFilter,
    ListFilterSet,
    NamedModelChoiceFilter,
    for_request,
    search_filter,
    values_in_use,
)
from zhidao.core.selectors import apply_search
from zhidao.orgs.filters import FederationSubtreeFilter, works_on_the_tree
from zhidao.orgs.models import Organization
from zhidao.orgs.selectors import organizations_visible_to

from . import selectors
from .models import (
    Assignment,
    AssignmentOrganization,
    AssignmentStatus,
    Batch,
    Instructor,
    InstructorStatus,
)


def batch_choices(user) -> QuerySet[Batch]:
    return selectors.batches_visible_to(user).only("pk", "name").order_by("-starts_on")


def instructor_choices(user) -> QuerySet[Instructor]:
    return selectors.instructors_visible_to(user).only("pk", "name").order_by("name", "pk")


def instructor_filter(**kwargs: Any) -> NamedModelChoiceFilter:
    """One of the instructors the user may see (the lists of field work filter by it too)."""
    return NamedModelChoiceFilter(
        label=_("Instructor"),
        queryset=for_request(instructor_choices),
        empty_label=_("All instructors"),
        **kwargs,
    )


def _federation_filter(**kwargs: Any) -> FederationSubtreeFilter:
    return FederationSubtreeFilter(
        label=_("Federation"), empty_label=_("All federations"), **kwargs
    )


class _DispatchFilterSet(ListFilterSet):
    def bar_names(self) -> list[str]:
        names = super().bar_names()
        if not works_on_the_tree(self.user):
            names.remove("federation")
        return names


class InstructorFilterSet(_DispatchFilterSet):
    q = search_filter()
    search = search_filter(help_text=_("Name or its pinyin initials (the same as q)."))
    federation = _federation_filter()
    department = filters.CharFilter(label=_("Department"))
    status = filters.ChoiceFilter(
        label=_("Status"), choices=InstructorStatus.choices, empty_label=_("All statuses")
    )

    bar_fields = ("federation", "department", "status")

    class Meta:
        model = Instructor
        fields = ["q", "search", "federation", "department", "status"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.user
        self.filters["department"].extra["widget"] = values_in_use(
            lambda: selectors.instructor_departments(user), blank=_("All departments")
        )

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return apply_search(queryset, value)


class BatchFilterSet(_DispatchFilterSet):
    # Batch names are short labels ("第一期 2021") with no pinyin index: a plain substring.
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))
    search = filters.CharFilter(
        field_name="name", lookup_expr="icontains", label=_("Name"), help_text=_("The same as q.")
    )
    federation = _federation_filter()
    year = IntegerFilter(label=_("Year"))

    bar_fields = ("federation", "year")

    class Meta:
        model = Batch
        fields = ["q", "search", "federation", "year"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.user
        self.filters["year"].extra["widget"] = values_in_use(
            lambda: selectors.batch_years(user), blank=_("All years")
        )


class AssignmentFilterSet(_DispatchFilterSet):
    q = search_filter(help_text=_("An organization's or the instructor's name or initials."))
    batch = NamedModelChoiceFilter(
        label=_("Batch"),
        queryset=for_request(batch_choices),
        empty_label=_("All batches"),
    )
    instructor = instructor_filter()
    status = filters.ChoiceFilter(
        label=_("Status"), choices=AssignmentStatus.choices, empty_label=_("All statuses")
    )
    federation = _federation_filter(field_name="batch__federation")
    organization = filters.ModelChoiceFilter(
        field_name="organizations", queryset=for_request(organizations_visible_to)
    )

    bar_fields = ("batch", "instructor", "status", "federation")

    class Meta:
        model = Assignment
        fields = ["q", "batch", "instructor", "status", "federation", "organization"]

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        matching_organizations = apply_search(Organization.objects.all(), value).values("pk")
        return queryset.filter(
            Q(
                pk__in=AssignmentOrganization.objects.filter(
                    organization_id__in=matching_organizations
                ).values("assignment_id")
            )
            | Q(instructor__in=apply_search(Instructor.objects.all(), value).values("pk"))
        )
