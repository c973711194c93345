"""Choosing one row among thousands: the select that renders only the chosen row, and the
answer of the endpoint its script asks for matches."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext_lazy as _

from .selectors import apply_search

# What an autocomplete endpoint answers at most; the box says to type more when there are more.
AUTOCOMPLETE_LIMIT = 20
MAX_QUERY = 50


class AutocompleteSelect(forms.Select):
    """A select of one row among thousands (an organization of a province, an instructor):
    the page holds only the chosen option, and core/js/autocomplete.js asks `url` for the
    matches as the user types (name, pinyin or initials). Without the script the select still
    submits the chosen value. The field's queryset still checks what is submitted."""

    # What the blank choice reads instead of the field's empty_label (a filter's 全部).
    blank_label: Any = None

    def __init__(
        self,
        url: Any,
        attrs: dict | None = None,
        *,
        chosen: Callable[[list[str]], list[tuple[Any, str]]] | None = None,
    ) -> None:
        """`chosen(ids)` names the chosen row for a field that is not a model choice (an id
        filter); by default the field's own queryset does."""
        super().__init__(attrs)
        self.url = url
        self.chosen = chosen

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-autocomplete-url"] = str(self.url)
        attrs.setdefault("data-autocomplete-placeholder", str(_("Type a name, pinyin or initials")))
        attrs.setdefault("data-autocomplete-empty", str(_("Nothing matches")))
        attrs.setdefault("data-autocomplete-more", str(_("More match: type more to narrow")))
        return attrs

    def optgroups(self, name, value, attrs=None):
        """The empty choice and the chosen row only: never one option per row of the table."""
        field = getattr(self.choices, "field", None)
        ids = [str(v) for v in value if str(v).isdigit()][:1]
        if self.chosen is not None:
            rows = list(self.chosen(ids)) if ids else []
            empty_label = self.blank_label if self.blank_label is not None else ""
        elif field is not None:
            found = list(field.queryset.filter(pk__in=ids)[:1]) if ids else []
            rows = [(row.pk, field.label_from_instance(row)) for row in found]
            empty_label = field.empty_label
            if empty_label is not None and self.blank_label is not None:
                empty_label = self.blank_label
        else:
            return [(None, [], 0)]
        options = []
        if empty_label is not None:
            options.append(self.create_option(name, "", empty_label, not rows, 0))
        for pk, label in rows:
            options.append(self.create_option(name, pk, label, True, len(options)))
        return [(None, options, 0)]


def autocomplete_answer(
    request: HttpRequest,
    queryset: QuerySet,
    *,
    label: Callable[[Any], str] = str,
    prefix: str = "",
    also: Callable[[str], Q] | None = None,
) -> JsonResponse:
    """The first matches of `?q=` among the user's rows (the queryset is already scoped), best
    match first, as `{"results": [{"id", "text"}], "more": bool}` for AutocompleteSelect. The
    names searched are those under `prefix`; `also(text)` adds rows another field matches."""
    text = request.GET.get("q", "")[:MAX_QUERY]
    other = also(text.strip()) if also is not None and text.strip() else None
    rows = list(apply_search(queryset, text, prefix=prefix, also=other)[: AUTOCOMPLETE_LIMIT + 1])
    return JsonResponse(
        {
            "results": [{"id": row.pk, "text": label(row)} for row in rows[:AUTOCOMPLETE_LIMIT]],
            "more": len(rows) > AUTOCOMPLETE_LIMIT,
        }
    )
