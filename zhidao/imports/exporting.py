"""The export of a kind: the records of the user's scope in the import's columns, so that an
exported file re-imports unchanged.

The workbook is written in openpyxl's write-only mode (rows stream to the file; a 100,000-row
export never holds its cells in memory) from the kind's export_queryset, which selects the
related rows it needs, so the export costs the same few queries however many rows it has.
"""

from __future__ import annotations

import tempfile

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from zhidao.core.workbooks import display_width

from .kinds.base import ImportKind
from .services import outermost_federation
from .template_workbook import header_text

ITERATOR_CHUNK = 2000
# Column widths are taken from the first rows only: a write-only sheet sets them before rows.
WIDTH_SAMPLE = 200


def export_filename(kind: ImportKind, actor) -> str:
    """两新组织_湘潭市总工会_20261202.xlsx"""
    federation = outermost_federation(actor)
    scope_name = federation.name if federation is not None else "zhidao"
    return f"{kind.label}_{scope_name}_{timezone.localdate():%Y%m%d}.xlsx"


def export_workbook(kind: ImportKind, actor) -> bytes:
    columns = [column for column in kind.columns if column.exported]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(kind.label)[:31])
    rows = kind.export_queryset(actor).iterator(chunk_size=ITERATOR_CHUNK)
    sample: list[list[str]] = []
    for instance in rows:
        texts = kind.export_texts(instance)
        sample.append([texts.get(column.key, "") for column in columns])
        if len(sample) >= WIDTH_SAMPLE:
            break
    headers = [header_text(column) for column in columns]
    for index, header in enumerate(headers):
        width = max([display_width(header)] + [display_width(row[index]) for row in sample])
        letter = get_column_letter(index + 1)
        sheet.column_dimensions[letter].width = min(width + 2, 60)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for values in sample:
        sheet.append(_text_cells(sheet, values))
    for instance in rows:
        texts = kind.export_texts(instance)
        sheet.append(_text_cells(sheet, [texts.get(column.key, "") for column in columns]))
    with tempfile.TemporaryFile() as handle:
        workbook.save(handle)
        handle.seek(0)
        return handle.read()


def _text_cells(sheet, values: list[str]) -> list:
    # Every value is text (codes keep their leading zeros; "=…" never becomes a formula).
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value or None)
        cell.data_type = "s"
        cells.append(cell)
    return cells
