"""Building blocks for scoped reads."""

from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from zhidao.core.text import pinyin_initials

NOTHING = Q(pk__in=[])


def any_of(conditions: list[Q]) -> Q:
    """OR the conditions together; no condition means no rows (never all rows)."""
    return reduce(or_, conditions) if conditions else NOTHING


def subtree_q(paths: tuple[str, ...], field: str = "federation__path") -> list[Q]:
    return [Q(**{f"{field}__startswith": path}) for path in paths]


def search_q(text: str, *, name_field: str = "name", extra_exact: tuple[str, ...] = ()) -> Q:
    """Name contains the text, or the pinyin initials contain it ("jl" finds 吉利)."""
    text = (text or "").strip()
    if not text:
        return Q()
    condition = Q(**{f"{name_field}__icontains": text})
    if text.isascii() and text.replace(" ", "").isalpha():
        condition |= Q(name_initials__contains=text.replace(" ", "").lower())
    elif not text.isascii():
        # Also match names typed with a homophone: 吉力 -> jl.
        initials = pinyin_initials(text)
        if initials and len(initials) >= 2:
            condition |= Q(name_initials__contains=initials)
    for field in extra_exact:
        condition |= Q(**{f"{field}__istartswith": text})
    return condition


def apply_search(queryset: QuerySet, text: str, **kwargs) -> QuerySet:
    return queryset.filter(search_q(text, **kwargs))
