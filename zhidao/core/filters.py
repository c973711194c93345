"""One FilterSet per list, shared by its page and its API endpoint (NetBox's `filtersets.py`).

The page binds the list's FilterSet to request.GET, lists `filterset.qs` and shows
`filterset.bar`, the fields of its filter bar; the viewset names it as `filterset_class`, and
DjangoFilterBackend binds it to the query string. Both read the same names, choices and checks,
and the choices the user may pick (federations, instructors, batches) come from the user's scope.

A value that does not pass its field's check filters nothing. The page then lists as if the
value had not been given (a stale bookmark still opens); the API answers 400 with the field's
message (DjangoFilterBackend.raise_exception), so an integration learns of its mistake.
"""

import functools
from collections.abc import Callable, Iterator
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.fields import ModelChoiceField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.request import Request

from .autocomplete import AutocompleteSelect

Selector = Callable[[Any], QuerySet]

ALL = _("All")

_BOOLEAN_WORDS = {
    "true": True,
    "1": True,
    "on": True,  # what a browser sends for a ticked checkbox
    "yes": True,
    "false": False,
    "0": False,
    "no": False,
}


class ListFilterBackend(filters.DjangoFilterBackend):
    """The viewset's FilterSet narrows its list: a detail or an action is looked up by its id
    alone, and the schema documents the filters on the list only."""

    def get_filterset_class(self, view: Any, queryset: QuerySet | None = None) -> Any:
        if getattr(view, "action", None) != "list":
            return None
        return super().get_filterset_class(view, queryset)


def boolean_value(value: Any) -> bool | None:
    """True, False, or None (filter nothing) for a query-string value."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return _BOOLEAN_WORDS.get(value.strip().lower())
    return None


def for_request(selector: Selector) -> Callable[[Request | None], QuerySet]:
    """A django-filter choice queryset: what the selector gives the request's user."""
    return lambda request: selector(getattr(request, "user", None))


class CheckboxFilterInput(forms.CheckboxInput):
    """A "… only" checkbox of a yes/no filter: ticked is true, not ticked filters nothing.

    It reads "true"/"false" as the API sends them, and "on" as a browser does."""

    def value_from_datadict(self, data, files, name: str) -> bool | None:
        return boolean_value(data.get(name))


class BooleanSelect(forms.Select):
    """A yes/no filter as a select with the list's own words for each answer."""

    def __init__(self, *, blank: str, yes: str, no: str, attrs: dict | None = None) -> None:
        super().__init__(attrs, choices=[("", blank), ("true", yes), ("false", no)])

    def format_value(self, value: Any) -> list[str]:
        answer = boolean_value(value)
        return [""] if answer is None else ["true" if answer else "false"]

    def value_from_datadict(self, data, files, name: str) -> bool | None:
        return boolean_value(data.get(name))


class NamedModelChoiceField(ModelChoiceField):
    """A select of rows shown by their names."""

    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class NamedModelChoiceFilter(filters.ModelChoiceFilter):
    """One of the user's rows (instructors, batches, unions), listed by name."""

    field_class = NamedModelChoiceField


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(filters.NumberFilter):
    """A whole number (a year, an id): `2025.5` is a wrong value, not a year without rows."""

    field_class = forms.IntegerField


class ListFilterSet(filters.FilterSet):
    """A list's filters. `bar_fields` names those its page shows, in their order; a subclass
    leaves some out for some users in `bar_names()` (the API keeps every filter)."""

    bar_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            # Each instance builds its own form fields (a subclass adjusts them to the user);
            # one built on the class, e.g. while the schema was generated, is not reused.
            filter_.__dict__.pop("_field", None)

    @property
    def form(self) -> forms.Form:
        form = super().form
        if not getattr(form, "_blank_reads_all", False):
            for field in form.fields.values():
                blank_reads_all(field)
            form._blank_reads_all = True  # type: ignore[attr-defined]
        return form

    @property
    def user(self) -> Any:
        return getattr(self.request, "user", None)

    def bar_names(self) -> list[str]:
        return list(self.bar_fields)

    @property
    def bar(self) -> "FilterBar":
        return FilterBar(self.form, self.bar_names())


def blank_reads_all(field: forms.Field) -> None:
    """A filter's blank choice (no filter) reads 全部, whatever its declaration says (Django's
    dashes, 全部批次): the field's label above it already says what is filtered. Only the label
    changes, when the select is drawn; the choices stay lazy."""
    widget = field.widget
    if isinstance(widget, AutocompleteSelect):
        widget.blank_label = ALL  # it lists no choices to wrap, only the blank and the chosen
    elif isinstance(widget, forms.Select) and not isinstance(widget, forms.SelectMultiple):
        widget.choices = _BlankAsAll(widget.choices)


class _BlankAsAll:
    """The choices with the blank one read 全部, listed once per widget: the select reads its
    choices more than once while it is drawn, and a model filter's would query each time."""

    def __init__(self, choices: Any) -> None:
        self.choices = choices
        self.listed: list | None = None

    def __call__(self) -> list:
        if self.listed is None:
            listed = list(self.choices)
            if listed and listed[0][0] == "":
                listed = [("", ALL), *listed[1:]]
            self.listed = listed
        return self.listed


class FilterBar:
    """The fields a list page's filter bar shows; iterated and indexed like the form."""

    def __init__(self, form: forms.Form, names: list[str]) -> None:
        self.form = form
        self.fields = {name: form.fields[name] for name in names}

    def __iter__(self) -> Iterator[BoundField]:
        return (self.form[name] for name in self.fields)

    def __getitem__(self, name: str) -> BoundField:
        if name not in self.fields:
            raise KeyError(name)
        return self.form[name]


def lazy_select(choices: Callable[[], list]) -> forms.Select:
    """A select whose choices are read once, and only when the page shows it: the API filters
    by any value without listing them first."""
    return forms.Select(choices=functools.cache(choices))


def values_in_use(values: Callable[[], list], *, blank: str = ALL) -> forms.Select:
    """A select of the values found in the data (districts, departments, years). Any value
    filters (exact match): one nobody uses lists nothing, on the page as in the API."""
    return lazy_select(lambda: [("", blank), *((value, value) for value in values())])


def search_filter(**kwargs: Any) -> filters.CharFilter:
    """The search box, `q` on the page (and `search` where the API has always called it so):
    what the FilterSet's `filter_search` method finds."""
    kwargs.setdefault("label", _("Search"))
    return filters.CharFilter(method="filter_search", **kwargs)
