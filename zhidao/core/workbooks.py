""".xlsx building blocks shared by every export: Chinese-aware column widths, text kept as text,
a bold header and totals row, the header frozen, printable landscape."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from io import BytesIO
from itertools import chain, islice

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

MAX_COLUMN_WIDTH = 60
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def display_width(value) -> int:
    """Width in Excel character units: a Chinese character takes two."""
    text = "" if value is None else str(value)
    longest = max((line for line in text.splitlines() or [""]), key=len)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest)


def add_sheet(
    workbook: Workbook,
    *,
    title: str,
    header: list[str],
    rows: Iterable[list],
    totals: list | None = None,
    wrap_columns: Iterable[int] = (),
    title_rows: list[list] | None = None,
):
    """A sheet with an optional title block, a bold frozen header, the rows and a bold totals
    row; columns as wide as their widest cell (capped), wrapping where asked."""
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    for values in title_rows or []:
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            cell.font = bold
    sheet.append(header)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    body = [list(values) for values in rows]
    for values in body + ([totals] if totals is not None else []):
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text: "=…" must not become a formula
    if totals is not None:
        for cell in sheet[sheet.max_row]:
            cell.font = bold
    wrap = set(wrap_columns)
    for index, name in enumerate(header, start=1):
        letter = get_column_letter(index)
        cells = [row[index - 1] if index - 1 < len(row) else None for row in body]
        width = max([display_width(name)] + [display_width(value) for value in cells])
        sheet.column_dimensions[letter].width = min(width + 2, MAX_COLUMN_WIDTH)
        if index in wrap:
            for (cell,) in sheet.iter_rows(min_row=header_row + 1, min_col=index, max_col=index):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    return sheet


def new_workbook() -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ----- streamed sheets (list exports: any number of rows, constant memory) -----

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
# Column widths come from the header and the first rows: a write-only sheet is written row by
# row, so its widths must be known before the first row.
WIDTH_SAMPLE_ROWS = 200


def _stream_cell(sheet, value):
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if value is not None and not isinstance(value, (bool, int, float)):
        value = str(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text stays text: "=…" must not become a formula
    return cell


def stream_sheet(workbook: Workbook, *, title: str, header: list[str], rows: Iterable[list]) -> int:
    """Append a sheet to a write-only workbook (`Workbook(write_only=True)`): a bold, frozen
    header, dates as Excel dates, text kept as text. Returns the number of data rows."""
    sheet = workbook.create_sheet(title=title[:31])
    rows = iter(rows)
    sample = list(islice(rows, WIDTH_SAMPLE_ROWS))
    for index, name in enumerate(header, start=1):
        width = max(
            [display_width(name)]
            + [display_width(_shown(row[index - 1])) for row in sample if index - 1 < len(row)]
        )
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, MAX_COLUMN_WIDTH)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for name in header:
        cell = _stream_cell(sheet, name)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for values in chain(sample, rows):
        sheet.append([_stream_cell(sheet, value) for value in values])
        count += 1
    return count


def _shown(value):
    if isinstance(value, datetime):
        return "0000-00-00 00:00"
    if isinstance(value, date):
        return "0000-00-00"
    return value
