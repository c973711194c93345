"""The search box's match, shown in the names a searched list shows."""

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString

from zhidao.core.text import pinyin_match_span

register = template.Library()


def _name_span(name: str, text: str) -> tuple[int, int] | None:
    at = name.find(text)
    if at < 0 and len(name.lower()) == len(name):
        at = name.lower().find(text.lower())
    return (at, at + len(text)) if at >= 0 else None


@register.filter
def highlight(name: object, text: object) -> SafeString:
    """The name, escaped, with the part the searched text matched in <mark>: the text itself
    (吉利 in 湖南吉利汽车), else the characters its pinyin or initials stand for (jili, jl).
    A match that cannot be placed simply (inside a syllable) marks nothing."""
    name = "" if name is None else str(name)
    text = "" if text is None else str(text).strip()
    span = (_name_span(name, text) or pinyin_match_span(name, text)) if text and name else None
    if span is None:
        return escape(name)
    start, end = span
    return format_html("{}<mark>{}</mark>{}", name[:start], name[start:end], name[end:])


@register.simple_tag(takes_context=True)
def searched(context, name: object) -> SafeString:
    """{% searched organization.name %}: the name with what the page's search box (q) matched
    in <mark>; just the escaped name when nothing was searched."""
    request = context.get("request")
    text = request.GET.get("q", "") if request is not None else ""
    return highlight(name, text)
