"""The audit pages' exports as .xlsx (Excel opens them in Chinese without encoding trouble)."""

from collections.abc import Iterable, Iterator
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from .display import describe_entries

EXPORT_LIMIT = 20_000
_CHUNK = 1_000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


def _chunks(queryset, size: int = _CHUNK) -> Iterator[list]:
    rows = list(queryset[:size])
    offset = 0
    while rows:
        yield rows
        offset += size
        if len(rows) < size or offset >= EXPORT_LIMIT:
            return
        rows = list(queryset[offset : min(offset + size, EXPORT_LIMIT)])


def log_entry_rows(entries) -> Iterator[list[str]]:
    for chunk in _chunks(entries):
        for row in describe_entries(chunk):
            entry = row.entry
            yield [
                _local(entry.timestamp),
                str(entry.actor) if entry.actor else "",
                entry.actor.get_username() if entry.actor else "",
                entry.remote_addr or "",
                row.action_label,
                row.model_label,
                entry.object_repr,
                row.changes_text,
            ]


def log_entry_header() -> list[str]:
    return [
        _("Time"),
        _("Actor"),
        _("Username"),
        _("IP address"),
        pgettext("audit filter", "Action"),
        _("Record type"),
        _("Object"),
        _("Changes"),
    ]


def access_event_rows(events) -> Iterator[list[str]]:
    for chunk in _chunks(events):
        for event in chunk:
            yield [
                _local(event.created_at),
                event.get_kind_display(),
                str(event.user) if event.user else "",
                event.username,
                event.ip_address or "",
                event.detail,
                event.user_agent,
            ]


def access_event_header() -> list[str]:
    return [
        _("Time"),
        _("Event"),
        _("User"),
        _("Username"),
        _("IP address"),
        _("Detail"),
        _("Browser"),
    ]


def build_workbook(
    *, title: str, header: list[str], rows: Iterable[list[str]]
) -> tuple[bytes, int]:
    """The workbook's bytes and the number of data rows written."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(header)
    count = 0
    for values in rows:
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            # Text stays text: a name starting with "=" must not become a formula.
            cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
        count += 1
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count
