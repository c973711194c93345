"""The filters of the instructor, batch and assignment lists (pages and API)."""

from typing import Any

from django.db.models import Case, Exists, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Least
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.fields import ModelChoiceField

from zhidao.core.autocomplete import AutocompleteSelect
from zhidao.core.filters import (
    IntegerFilter,
    ListFilterSet,
    NamedModelChoiceFilter,
    for_request,
    search_filter,
    values_in_use,
)
from zhidao.core.selectors import SEARCH_RANK, apply_search, list_order, search_q, search_rank
from zhidao.orgs.filters import FederationSubtreeFilter, works_on_the_tree
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

UNMATCHED = 99  # below every SearchRank: the instructor or no organization matched


def batch_choices(user) -> QuerySet[Batch]:
    return (
        selectors.batches_visible_to(user)
        .select_related("federation")
        .only("pk", "name", "federation__name")
        .order_by("-starts_on", "pk")
    )


class BatchChoiceField(ModelChoiceField):
    """A batch by its name and its federation's: a province's 137 federations each have a
    第一期 … 第四期."""

    def label_from_instance(self, obj: Batch) -> str:
        return batch_label(obj)


class BatchChoiceFilter(filters.ModelChoiceFilter):
    field_class = BatchChoiceField


def batch_label(batch: Batch) -> str:
    return f"{batch.name} · {batch.federation.name}"


def instructor_choices(user) -> QuerySet[Instructor]:
    return selectors.instructors_visible_to(user).only("pk", "name").order_by("name", "pk")


def instructor_filter(**kwargs: Any) -> NamedModelChoiceFilter:
    """One of the instructors the user may see (the lists of field work filter by it too)."""
    return NamedModelChoiceFilter(
        label=_("Instructor"),
        queryset=for_request(instructor_choices),
        empty_label=_("All instructors"),
        # A province has 3,000 instructors: the page holds the chosen one, the box finds others.
        widget=AutocompleteSelect(reverse_lazy("dispatch:instructor_autocomplete")),
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
    search = search_filter(help_text=_("Name, its pinyin or its initials (the same as q)."))
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
    batch = BatchChoiceFilter(
        label=_("Batch"),
        queryset=for_request(batch_choices),
        empty_label=_("All batches"),
        # A province has hundreds of batches: the page holds the chosen one, the box finds
        # others by the batch's name or its federation's.
        widget=AutocompleteSelect(reverse_lazy("dispatch:batch_autocomplete")),
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
        """Assignments whose instructor or one of whose organizations match, ranked by the
        best of those matches (zhidao/core/selectors.py), then in the list's own order."""
        if not (value or "").strip():
            return queryset
        links = AssignmentOrganization.objects.filter(
            search_q(value, prefix="organization__"), assignment=OuterRef("pk")
        )
        best_organization = Subquery(
            links.annotate(rank=search_rank(value, prefix="organization__"))
            .order_by("rank")
            .values("rank")[:1]
        )
        instructor_matches = search_q(value, prefix="instructor__")
        instructor = Case(
            When(instructor_matches, then=search_rank(value, prefix="instructor__")),
            default=Value(UNMATCHED),
        )
        return (
            queryset.filter(Exists(links) | instructor_matches)
            .annotate(
                **{SEARCH_RANK: Least(Coalesce(best_organization, Value(UNMATCHED)), instructor)}
            )
            .order_by(SEARCH_RANK, *list_order(queryset))
        )
