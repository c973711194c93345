"""Rates as FIGURES.md shows them: the percentage with its numerator and denominator, "—" when
nothing is due."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def percent(rate) -> str:
    if rate is None or rate.percent is None:
        return "—"
    return f"{rate.percent}%"


@register.filter
def fraction(rate) -> str:
    if rate is None:
        return ""
    return f"{rate.numerator}/{rate.denominator}"


@register.filter
def rate_text(rate) -> str:
    """87% (141/162), or — when the denominator is 0."""
    if rate is None or rate.percent is None:
        return "—"
    return format_html(
        '{}% <span class="rate-fraction">({}/{})</span>',
        rate.percent,
        rate.numerator,
        rate.denominator,
    )
