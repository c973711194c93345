"""The filters of the evaluation list (page and API)."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from zhidao.core.filters import ListFilterSet, search_filter
from zhidao.dispatch.models import Assignment
from zhidao.fieldwork.compliance.selectors import instructor_name_q

from .models import EvaluationGrade


class EvaluationFilterSet(ListFilterSet):
    q = search_filter(help_text=_("The instructor's name or its pinyin initials."))
    grade = filters.ChoiceFilter(
        field_name="evaluation__grade",
        label=_("Grade"),
        choices=EvaluationGrade.choices,
        empty_label=_("All"),
    )

    bar_fields = ("grade",)

    class Meta:
        model = Assignment
        fields = ["q", "grade"]

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(instructor_name_q(value))
