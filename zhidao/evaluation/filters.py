"""The filters of the evaluation list (page and API)."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from zhidao.accounts.scope import scope_of
from zhidao.core.filters import ListFilterSet, search_filter
from zhidao.core.selectors import apply_search, list_order
from zhidao.dispatch.models import Assignment

from .models import Evaluation, EvaluationGrade


class EvaluationFilterSet(ListFilterSet):
    q = search_filter(help_text=_("The instructor's name, its pinyin or its initials."))
    grade = filters.ChoiceFilter(
        label=_("Grade"),
        choices=EvaluationGrade.choices,
        empty_label=_("All"),
        method="filter_grade",
        help_text=_("Only among the grades you may see (a union officer sees none)."),
    )

    bar_fields = ("grade",)

    class Meta:
        model = Assignment
        fields = ["q", "grade"]

    def bar_names(self) -> list[str]:
        names = super().bar_names()
        scope = scope_of(self.user)
        if not (scope.is_federation_staff or scope.is_instructor or scope.is_superuser):
            names.remove("grade")  # union officers rate the instructor but never see a grade
        return names

    def filter_grade(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # Filtering by a grade must not tell who may not see grades which one an instructor got.
        graded = Evaluation.objects.visible_to(self.user, "grade").filter(grade=value)
        return queryset.filter(evaluation__in=graded.values("pk"))

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return apply_search(queryset, value, prefix="instructor__", then_by=list_order(queryset))
