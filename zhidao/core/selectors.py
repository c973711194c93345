"""Building blocks for scoped reads."""

from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Case, Count, IntegerField, Model, Q, QuerySet, Value, When

from zhidao.core.lookups import GRAM_LENGTH
from zhidao.core.text import search_letters

NOTHING = Q(pk__in=[])

SEARCH_RANK = "search_rank"


def any_of(conditions: list[Q]) -> Q:
    """OR the conditions together; no condition means no rows (never all rows)."""
    return reduce(or_, conditions) if conditions else NOTHING


def subtree_q(paths: tuple[str, ...], field: str = "federation__path") -> list[Q]:
    return [Q(**{f"{field}__startswith": path}) for path in paths]


class SearchRank:
    """The order a search lists its matches in, best first (issue 12: 吉利 must list
    湖南吉利汽车部件有限公司 before a law firm whose initials merely contain jl)."""

    EXACT = 0  # the name is the text
    PREFIX = 1  # the name (or a code given as extra_exact) starts with it
    CONTAINS = 2  # the name contains it
    PINYIN_PREFIX = 3  # the full pinyin starts with it: jili, or a homophone 吉力
    INITIALS_PREFIX = 4  # the initials start with it: jl
    PINYIN_CONTAINS = 5  # the full pinyin or the initials contain it
    OTHER = 6  # another field the list also searches (a title, a ticket code)


@dataclass(frozen=True)
class _Search:
    """The conditions one typed text stands for, on the name fields under `prefix`."""

    text: str
    prefix: str
    extra_exact: tuple[str, ...]

    @property
    def letters(self) -> str:
        letters = search_letters(self.text)
        if self.text.isascii():
            # Letters, not a code: "9143" is a credit-code prefix, "jl" is pinyin.
            return letters if any(char.isalpha() for char in letters) else ""
        # A Chinese text matches its homophones by their full pinyin, from two characters on:
        # the pinyin of one character (李 -> li) is inside too many others (lian, liu).
        return letters if sum(1 for char in self.text if not char.isascii()) >= 2 else ""

    def field(self, name: str, lookup: str) -> str:
        return f"{self.prefix}{name}__{lookup}"

    def ranked(self) -> list[tuple[Q, int]]:
        """(condition, rank) from the best rank down; a row takes the first that holds."""
        return [(condition, rank) for condition, rank, _implied in self._conditions()]

    def matches(self) -> Q:
        """What keeps a row: the conditions of ranked() less those another one implies (a name
        that starts with the text contains it), so that on PostgreSQL each one left is served
        by an index (trigram for contains, varchar_pattern_ops for prefix, grams for a text too
        short for trigrams: zhidao/core/lookups.py)."""
        kept = [
            condition for condition, _rank, implied in self._conditions(indexed=True) if not implied
        ]
        # PostgreSQL compares every row its indexes found with the whole condition again when
        # one of them is inexact (a code prefix, trigrams), and stops at the first part that
        # holds: the plain comparisons first, then the grams of the shortest column first
        # (computing them costs a few µs a character: 25 ms over the 1,889 "jl" of a province).
        kept.sort(key=_grams_cost)
        return any_of(kept)

    def _conditions(self, *, indexed: bool = False) -> list[tuple[Q, int, bool]]:
        """`indexed`: "contains" of a text too short for trigrams as short_icontains
        (zhidao/core/lookups.py), the form an index serves. It keeps the same rows: the name is
        compared case-blind already, or the text has no case (吉利); pinyin and initials are
        stored lower-case. The ranking's CASE keeps the plain lookups: it runs on kept rows."""
        text, letters = self.text, self.letters
        # A text without letters of two cases (吉利, 9143) is compared as it is: on PostgreSQL
        # LIKE then uses the trigram index of the name, where ILIKE's UPPER() would not.
        case = "i" if text.lower() != text.upper() else ""

        def contains(value: str, case: str = "") -> str:
            if indexed and len(value) <= GRAM_LENGTH:
                return "short_icontains"
            return f"{case}contains"

        conditions = [
            (Q(**{self.field("name", f"{case}exact"): text}), SearchRank.EXACT, True),
            (Q(**{self.field("name", f"{case}startswith"): text}), SearchRank.PREFIX, True),
            # Codes are kept in capitals (a credit code): compared so, by their indexed prefix.
            *(
                (Q(**{self.field(code, "startswith"): text.upper()}), SearchRank.PREFIX, False)
                for code in self.extra_exact
            ),
            (Q(**{self.field("name", contains(text, case)): text}), SearchRank.CONTAINS, False),
        ]
        if not letters:
            return conditions
        # One letter is inside nearly every name's pinyin: it matches by the start only.
        contained = len(letters) >= 2
        pinyin_prefix = Q(**{self.field("name_pinyin", "startswith"): letters})
        conditions.append((pinyin_prefix, SearchRank.PINYIN_PREFIX, contained))
        latin = self.text.isascii()  # a Chinese text stands for its pinyin, not its initials
        if latin:
            initials_prefix = Q(**{self.field("name_initials", "startswith"): letters})
            conditions.append((initials_prefix, SearchRank.INITIALS_PREFIX, contained))
        if contained:
            conditions.append(
                (
                    Q(**{self.field("name_pinyin", contains(letters)): letters}),
                    SearchRank.PINYIN_CONTAINS,
                    False,
                )
            )
            if latin:
                conditions.append(
                    (
                        Q(**{self.field("name_initials", contains(letters)): letters}),
                        SearchRank.PINYIN_CONTAINS,
                        False,
                    )
                )
        return conditions


# The columns short_icontains reads the grams of, shortest first (initials, name, full pinyin).
_GRAMS_ORDER = ("name_initials__short_icontains", "name__short_icontains")


def _grams_cost(condition: Q) -> int:
    """0 for a plain comparison, then 1, 2, 3 from the shortest column's grams up."""
    lookup = str(condition.children[0][0])  # type: ignore[index]  # Q(field__lookup=value)
    if not lookup.endswith("__short_icontains"):
        return 0
    for order, ending in enumerate(_GRAMS_ORDER, start=1):
        if lookup.endswith(ending):
            return order
    return len(_GRAMS_ORDER) + 1


def _search(text: str, prefix: str, extra_exact: tuple[str, ...]) -> _Search | None:
    text = (text or "").strip()
    return _Search(text, prefix, tuple(extra_exact)) if text else None


def search_q(text: str, *, prefix: str = "", extra_exact: tuple[str, ...] = ()) -> Q:
    """The rows whose name (of the row, or of the row under `prefix`, e.g. "union__") matches
    the text: the name itself, its full pinyin ("jili" finds 吉利), its initials ("jl"), a
    homophone (吉力 finds 吉利); `extra_exact` fields (a credit code) by their start."""
    search = _search(text, prefix, extra_exact)
    if search is None:
        return Q()
    return search.matches()


def search_rank(text: str, *, prefix: str = "", extra_exact: tuple[str, ...] = ()) -> Case:
    """The SearchRank of each row search_q keeps, computed by the database."""
    search = _search(text, prefix, extra_exact)
    whens = (
        [When(condition, then=Value(rank)) for condition, rank in search.ranked()] if search else []
    )
    return Case(*whens, default=Value(SearchRank.OTHER), output_field=IntegerField())


def apply_search(
    queryset: QuerySet,
    text: str,
    *,
    prefix: str = "",
    extra_exact: tuple[str, ...] = (),
    also: Q | None = None,
    then_by: tuple[Any, ...] | None = None,
) -> QuerySet:
    """The rows search_q keeps (or `also` keeps: other fields the list searches), best match
    first (annotated `search_rank`), then by name, then by `then_by` (the list's own order; by
    default the primary key). The same on every search box and in the API, which share their
    FilterSet. No text: the queryset as it was."""
    search = _search(text, prefix, extra_exact)
    if search is None:
        return queryset
    condition = search_q(text, prefix=prefix, extra_exact=extra_exact)
    if also is not None:
        condition |= also
    tail = ("pk",) if then_by is None else then_by
    return (
        queryset.filter(condition)
        .annotate(**{SEARCH_RANK: search_rank(text, prefix=prefix, extra_exact=extra_exact)})
        .order_by(SEARCH_RANK, f"{prefix}name", *tail)
    )


def list_order(queryset: QuerySet) -> tuple[Any, ...]:
    """The order a queryset lists in (its own, else its model's), to keep as a tie-breaker."""
    return tuple(queryset.query.order_by or queryset.model._meta.ordering or ("pk",))


def counts_by(queryset: QuerySet, field: str, ids: list[Any]) -> dict[Any, int]:
    """{id: how many rows of the queryset have that id in `field`}, in one grouped query over
    these ids alone (a page's rows), never over the whole table."""
    if not ids:
        return {}
    return dict(
        queryset.filter(**{f"{field}__in": ids})
        # COUNT(*) in the field's order: PostgreSQL then streams the field's index alone
        # (index-only, grouped as it goes) instead of a parallel scan of the whole table with
        # COUNT(id): 15 ms instead of 37–51 ms for a province's 100,000 organizations.
        .order_by(field)
        .values(field)
        .annotate(rows=Count("*"))
        .values_list(field, "rows")
    )


def count_children(rows: list[Any], child: type[Model], parent_field: str, attribute: str) -> list:
    """Set `attribute` on each row of a page to how many `child` rows point at it through
    `parent_field` (an id field), in one query over these rows alone: counted in the list's own
    query, the count would group the whole history before the page is taken."""
    counts = counts_by(child._default_manager.all(), parent_field, [row.pk for row in rows])
    for row in rows:
        setattr(row, attribute, counts.get(row.pk, 0))
    return rows
