from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (keeps filters across pages)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


@register.inclusion_tag("core/includes/export_button.html", takes_context=True)
def export_button(context, key: str) -> dict:
    """The list page's "导出 Excel": its rows, with the filters of the page's query string
    (zhidao/core/exports.py)."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    url = reverse("exports:export", args=[key])
    return {"export_url": f"{url}?{query.urlencode()}" if query else url}
