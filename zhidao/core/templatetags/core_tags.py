from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from zhidao.core.pagination import CURSOR_PARAMETER

register = template.Library()


@register.simple_tag
def fixed_url(name: str) -> str:
    """`{% url name %}` for a URL without arguments, reversed once per process (per URL
    configuration and script prefix): the navigation, the tab bar and the offline shell name
    about 50 of them on every page, which cost more than the rest of the home page's render."""
    return _reversed(name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@lru_cache(maxsize=256)
def _reversed(name: str, urlconf: str | None, script_prefix: str) -> str:
    return reverse(name, urlconf=urlconf)


# What names a page of a list rather than its rows: an export takes every page.
PAGE_PARAMETERS = ("page", CURSOR_PARAMETER)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (keeps filters across pages);
    a parameter given None is left out (`cursor=None` leads back to the first page)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.inclusion_tag("core/includes/export_button.html", takes_context=True)
def export_button(context, key: str) -> dict:
    """The list page's "导出 Excel": its rows, with the filters of the page's query string
    (zhidao/core/exports.py)."""
    query = context["request"].GET.copy()
    for parameter in PAGE_PARAMETERS:
        query.pop(parameter, None)
    url = reverse("exports:export", args=[key])
    return {"export_url": f"{url}?{query.urlencode()}" if query else url}
