"""Exports of lists: every list page's "导出 Excel" gives the rows the page lists — the same
scoped selector, the same FilterSet bound to the page's query string — as an .xlsx named
`<list>_<scope>_<YYYYMMDD>.xlsx` (驻点记录_湘潭市总工会_20261202.xlsx).

An app describes each of its lists once, in its `exports.py`, and registers it here:

    register(ListExport(
        key="on-site-days",                    # the URL: /exports/on-site-days/?<the page's query>
        title=_("On-site days"),               # the list's name: sheet and file name
        permission="fieldwork.view_onsiteday",  # what the list page declares
        queryset=selectors.on_site_day_list,   # the page's selector: user -> scoped queryset
        filterset_class=OnSiteDayFilterSet,    # the page's FilterSet (None: no filters)
        list_url="fieldwork:on_site_day_list",
        columns=[Column(_("Date"), lambda day: day.on_date), ...],
    ))

`columns` is a list of `Column(header, value)` or a function of the user giving one (a column
shown to some viewers only: the appeal submitter's contact for rights-protection staff, as on the
page). A value is what the cell holds: a date or datetime (written as an Excel date), a number,
a bool (是/否), text; names rather than ids, choice labels rather than codes. The queryset must
carry its `select_related`, so that writing a row needs no query of its own; `rows` replaces
the column-by-column writing where rows are described in chunks (the audit log).

The `zhidao.exports` app, at the top of the rooms, imports every installed app's `exports`
module at start-up (so lower apps never import it), serves `/exports/<key>/`, and runs a
large export (more than `EXPORT_SYNC_MAX_ROWS` rows) in the background, delivering it to the
requester's inbox. The download name's scope (the federation, the instructor, the union of the
user) comes from a namer that app registers, as accounts registers the user's scope.

Another entry to the same rows (an API endpoint answering a list in its import columns) uses
the pieces directly: `filtered(export, user, query)` for the rows, `write_workbook(...)` for the
file, `download_name(...)` and `attachment_response(...)` for the answer, and, above notifications,
`zhidao.exports.services.start_background_export(user=, export=, query=)` for a long list.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .workbooks import XLSX_CONTENT_TYPE, stream_sheet, workbook_bytes

DEFAULT_SYNC_MAX_ROWS = 3000
CHUNK_SIZE = 1000


@dataclass(frozen=True)
class Column:
    header: Any  # a (lazy) translated string
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class ListExport:
    key: str
    title: Any
    permission: str
    queryset: Callable[[Any], QuerySet]
    columns: Sequence[Column] | Callable[[Any], Sequence[Column]]
    filterset_class: type | None = None
    list_url: str = ""
    rows: Callable[[Any, QuerySet, Sequence[Column]], Iterable[list]] | None = None

    def columns_for(self, user) -> Sequence[Column]:
        return self.columns(user) if callable(self.columns) else self.columns


_registry: dict[str, ListExport] = {}


def register(export: ListExport) -> ListExport:
    """Add a list's export (once per key: a second registration of a key replaces the first, so
    that a module imported twice does no harm)."""
    if not re.fullmatch(r"[a-z0-9-]+", export.key):
        raise ValueError(f"export key {export.key!r}: lower-case letters, digits and '-' only")
    _registry[export.key] = export
    return export


def get_export(key: str) -> ListExport | None:
    return _registry.get(key)


def registered() -> list[ListExport]:
    return sorted(_registry.values(), key=lambda export: export.key)


def sync_max_rows() -> int:
    return getattr(settings, "EXPORT_SYNC_MAX_ROWS", DEFAULT_SYNC_MAX_ROWS)


class _RequestStandIn:
    """What a FilterSet reads of its request, for an export built in the background."""

    def __init__(self, user, query: QueryDict) -> None:
        self.user = user
        self.GET = query
        self.query_params = query


def filtered(export: ListExport, user, query: QueryDict, request: Any = None) -> QuerySet:
    """The rows the list page shows the user for this query string (all pages of it)."""
    queryset = export.queryset(user)
    if export.filterset_class is None:
        return queryset
    filterset = export.filterset_class(
        query, queryset=queryset, request=request or _RequestStandIn(user, query)
    )
    return filterset.qs


def _cell(value):
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value


def export_rows(export: ListExport, user, queryset: QuerySet) -> Iterator[list]:
    columns = export.columns_for(user)
    if export.rows is not None:
        yield from ([_cell(value) for value in row] for row in export.rows(user, queryset, columns))
        return
    for obj in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield [_cell(column.value(obj)) for column in columns]


def fill_workbook(export: ListExport, user, queryset: QuerySet) -> tuple[Workbook, int]:
    """A write-only workbook of the rows (save it once) and how many there are."""
    workbook = Workbook(write_only=True)
    header = [str(column.header) for column in export.columns_for(user)]
    count = stream_sheet(
        workbook, title=str(export.title), header=header, rows=export_rows(export, user, queryset)
    )
    return workbook, count


def write_workbook(export: ListExport, user, queryset: QuerySet) -> tuple[bytes, int]:
    """The .xlsx of the rows, as bytes, and how many there are."""
    workbook, count = fill_workbook(export, user, queryset)
    return workbook_bytes(workbook), count


# ----- download names -----

_scope_namer: Callable[[Any], str] | None = None


def register_scope_namer(namer: Callable[[Any], str]) -> None:
    global _scope_namer
    _scope_namer = namer


def scope_name(user) -> str:
    """The user's federation (the outermost one of its staff roles), else the instructor's
    name, else the union's; the account's name when it has none of these."""
    name = _scope_namer(user) if _scope_namer is not None else ""
    if not name and user is not None:
        name = user.get_full_name() or user.get_username()
    return name


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def file_name(*parts: Any, extension: str = "docx") -> str:
    """The parts joined by "_", without the characters a file name may not hold."""
    stem = "_".join(
        cleaned for part in parts if (cleaned := _UNSAFE.sub("", str(part or "")).strip())
    )
    return f"{stem}.{extension}"


def download_name(title: Any, user, *, extension: str = "xlsx", day: date | None = None) -> str:
    """`<list name>_<scope name>_<YYYYMMDD>.<extension>`: 驻点记录_湘潭市总工会_20261202.xlsx."""
    day = day or timezone.localdate()
    return file_name(title, scope_name(user), f"{day:%Y%m%d}", extension=extension)


def attachment_header(filename: str, *, fallback: str = "") -> str:
    """`attachment; filename="<ascii fallback>"; filename*=UTF-8''<percent-encoded>` (RFC 6266
    and 5987): browsers take the UTF-8 name, old clients the ASCII one."""
    header = content_disposition_header(True, filename)
    if "filename*=" not in header:
        return header  # an ASCII name is quoted as it is
    ascii_name = fallback or _ascii_fallback(filename)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def _ascii_fallback(filename: str) -> str:
    stem, dot, extension = filename.rpartition(".")
    kept = re.sub(r"[^A-Za-z0-9_.-]+", "", stem.encode("ascii", "ignore").decode()).strip("_")
    return f"{kept or 'export'}{dot}{extension}" if dot else (kept or "export")


def attachment_response(
    content: bytes, filename: str, *, content_type: str = XLSX_CONTENT_TYPE, fallback: str = ""
) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = attachment_header(filename, fallback=fallback)
    return response
