from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import reduce
from operator import or_
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import F, OrderBy, Q, QuerySet
from rest_framework.pagination import PageNumberPagination

from zhidao.core.selectors import list_order

DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 100


def paginate(request, queryset, *, per_page: int = DEFAULT_PER_PAGE) -> Page:
    """A bounded page of the queryset; a page number past the end shows the last page."""
    paginator = Paginator(queryset, _per_page(request, per_page))
    return paginator.get_page(request.GET.get("page"))


class BoundedPageNumberPagination(PageNumberPagination):
    """The API's pages: 50 rows, at most 200 (a module of its own: DRF imports it while it is
    still loading its generic views)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


# ----- keyset ("seek") pages, for the lists that reach millions of rows -----

# How far a keyset list counts its rows: a page says "共 N 条" up to this, "超过 1,000 条" past it
# (an exact COUNT(*) over millions of rows costs seconds on PostgreSQL; PERFORMANCE.md).
KEYSET_COUNT_CAP = 1000

CURSOR_PARAMETER = "cursor"
_CURSOR_SALT = "zhidao.core.pagination.keyset"
_AFTER, _BEFORE = "a", "b"


@dataclass(frozen=True)
class _Term:
    """One key of the order: a field path or an annotation's name, and its direction."""

    path: str
    descending: bool

    @property
    def text(self) -> str:
        return f"-{self.path}" if self.descending else self.path


def _order_terms(ordering: Sequence[Any]) -> list[_Term]:
    terms = []
    for item in ordering:
        if isinstance(item, str):
            terms.append(_Term(item.lstrip("-"), item.startswith("-")))
        elif isinstance(item, OrderBy) and isinstance(item.expression, F):
            terms.append(_Term(item.expression.name, item.descending))
        else:
            raise ValueError(f"A keyset page orders by field names, not by {item!r}.")
    # The order must be total for a cursor to name one place in it: the primary key ends it.
    if terms[-1].path not in ("pk", "id"):
        terms.append(_Term("pk", terms[-1].descending))
    return terms


def _beyond(terms: list[_Term], values: list[Any], *, backwards: bool) -> Q:
    """The rows after the cursor's values in the terms' order (before them, `backwards`).

    The expanded form (a < x) OR (a = x AND b < y) OR … with a redundant bound on the first key
    (a <= x) in front: the bound is what an index on (a, b, …) serves as its range."""
    clauses = []
    equal: dict[str, Any] = {}
    for term, value in zip(terms, values, strict=True):
        lookup = "lt" if term.descending != backwards else "gt"
        clauses.append(Q(**equal, **{f"{term.path}__{lookup}": value}))
        equal[term.path] = value
    first = terms[0]
    bound = Q(**{f"{first.path}__{'lte' if first.descending != backwards else 'gte'}": values[0]})
    return bound & reduce(or_, clauses)


def _cursor_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def _salt(terms: list[_Term]) -> str:
    # A cursor is good for the order it was made in only: another order (a search ranks its
    # matches first) reads it as a bad one, which shows the first page.
    return f"{_CURSOR_SALT}:{','.join(term.text for term in terms)}"


def _encode(terms: list[_Term], direction: str, values: list[Any]) -> str:
    payload = [direction, [_cursor_value(value) for value in values]]
    return signing.dumps(payload, salt=_salt(terms), compress=True)


def _decode(terms: list[_Term], token: str | None) -> tuple[str, list[Any]] | None:
    if not token:
        return None
    try:
        direction, values = signing.loads(token, salt=_salt(terms))
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if direction not in (_AFTER, _BEFORE) or not isinstance(values, list):
        return None
    if len(values) != len(terms) or any(value is None for value in values):
        return None
    return direction, values


@dataclass
class KeysetPage:
    """One page of a keyset list: its rows, the cursors of the pages before and after it, and
    the list's row count up to `cap` (more than that is shown as "more than cap").

    Iterated like a Django Page; `object_list` is the rows."""

    rows: list[Any]
    next_cursor: str | None
    previous_cursor: str | None
    has_previous: bool
    count: int
    cap: int
    per_page: int

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return bool(self.rows)

    @property
    def object_list(self) -> list[Any]:
        return self.rows

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def is_first(self) -> bool:
        return not self.has_previous

    @property
    def cap_text(self) -> str:
        """The cap as the page writes it, grouped by thousands (超过 1,000 条): zh-hans formats
        numbers ungrouped."""
        return f"{self.cap:,}"

    @property
    def count_is_capped(self) -> bool:
        """The list has more rows than were counted."""
        return self.count > self.cap


def _per_page(request, per_page: int) -> int:
    try:
        per_page = min(int(request.GET.get("per_page", per_page)), MAX_PER_PAGE)
    except ValueError:
        per_page = DEFAULT_PER_PAGE
    return max(per_page, 1)


def keyset_page(
    request,
    queryset: QuerySet,
    *,
    ordering: Sequence[Any] | None = None,
    per_page: int = DEFAULT_PER_PAGE,
) -> KeysetPage:
    """A page of the queryset found by the sort values of a neighbouring row (the `cursor` of
    the query string) rather than by an OFFSET, with the row count capped at KEYSET_COUNT_CAP:
    each page costs the same at row 25 as at row 1,000,000, and no query counts them all.

    The order is `ordering`, else the queryset's own (a search's ranking included); its keys
    must be non-null, and the primary key ends it if it does not already. A cursor that does
    not read (tampered, or made for another order) shows the first page."""
    per_page = _per_page(request, per_page)
    terms = _order_terms(ordering or list_order(queryset))
    keys = {f"keyset_{index}": F(term.path) for index, term in enumerate(terms)}
    ordered = queryset.order_by(*(term.text for term in terms)).annotate(**keys)
    cap = KEYSET_COUNT_CAP
    count = queryset.order_by().values("pk")[: cap + 1].count()

    def fetch(rows: QuerySet) -> list[Any]:
        return list(rows[: per_page + 1])

    def values_of(row: Any) -> list[Any]:
        return [getattr(row, name) for name in keys]

    cursor = _decode(terms, request.GET.get(CURSOR_PARAMETER))
    rows: list[Any] | None = None
    has_previous = False
    has_next = False
    if cursor is not None:
        direction, values = cursor
        backwards = direction == _BEFORE
        try:
            beyond = ordered.filter(_beyond(terms, values, backwards=backwards))
        except (ValidationError, ValueError, TypeError):
            beyond = None
        if beyond is not None and backwards:
            reverse = [_Term(term.path, not term.descending).text for term in terms]
            found = fetch(beyond.order_by(*reverse))
            has_previous = len(found) > per_page
            if has_previous or len(found) == per_page:
                rows = list(reversed(found[:per_page]))
                has_next = True
            # else: fewer rows than a page before the cursor: the first page, filled up.
        elif beyond is not None:
            found = fetch(beyond)
            rows, has_next, has_previous = found[:per_page], len(found) > per_page, True
    if rows is None:
        found = fetch(ordered)
        rows, has_next, has_previous = found[:per_page], len(found) > per_page, False
    return KeysetPage(
        rows=rows,
        next_cursor=_encode(terms, _AFTER, values_of(rows[-1])) if has_next and rows else None,
        previous_cursor=(
            _encode(terms, _BEFORE, values_of(rows[0])) if has_previous and rows else None
        ),
        has_previous=has_previous,
        count=count,
        cap=cap,
        per_page=per_page,
    )
