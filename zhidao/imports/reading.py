"""Reading an uploaded .xlsx or .csv into rows of text keyed by column.

The workbook is read with openpyxl's read-only mode (rows stream; a 100,000-row sheet never sits in
memory as cells); a .csv may be UTF-8 (with or without the BOM Excel writes) or GB18030 (what
Excel on a Chinese Windows saves as "CSV"). The header row is the first row whose cells name the
kind's columns; a header may carry the template's required mark ("*") and surrounding spaces.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from .cleaning import cell_text, clean_text

DEFAULT_MAX_BYTES = 30 * 1024 * 1024
DEFAULT_MAX_ROWS = 200_000
# The header is looked for in the first rows only: a title block above it is allowed.
HEADER_SEARCH_ROWS = 10
_DIMENSION = re.compile(r'<dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"')
_BYTES_PER_ROW = 600  # a sheet's XML per row of a dozen text cells, for the size's estimate


class FileProblem(Exception):
    """The file as a whole cannot be read (type, size, header, row limit): a Chinese message."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class SourceRow:
    number: int  # the row number Excel shows (the header's row + 1 for the first data row)
    values: dict[str, str]  # column key -> the cell as text, not yet cleaned


def max_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_rows() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


def header_key(text) -> str:
    return clean_text(cell_text(text), keep_inner_spaces=False).lstrip("*").rstrip("*")


def _raw_rows(upload, name: str) -> Iterator[tuple]:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    upload.seek(0)
    if extension == "csv":
        data = upload.read()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:  # pragma: no cover - gb18030 decodes any byte string
            raise FileProblem(_("The CSV file's text encoding cannot be read; save it as UTF-8."))
        yield from csv.reader(io.StringIO(text))
        return
    if extension != "xlsx":
        raise FileProblem(
            _("Only .xlsx workbooks and .csv files can be imported (this file is “%(name)s”).")
            % {"name": name}
        )
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise FileProblem(
            _(
                "This file is not an Excel workbook (.xlsx) or it is damaged; "
                "save it again in Excel."
            )
        ) from None
    try:
        sheet = workbook.worksheets[0]
        yield from sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


def read_rows(upload, *, name: str, columns) -> Iterator[SourceRow]:
    """Rows of the first sheet (or the CSV) as text per column key; raises FileProblem.

    `columns` are the kind's Column objects. Blank rows are skipped; their numbers still count.
    """
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes():
        raise FileProblem(
            _("The file is too large (%(size).1f MB); the limit is %(limit)d MB.")
            % {"size": size / 1024 / 1024, "limit": max_bytes() // 1024 // 1024}
        )
    by_header = {header_key(column.header): column for column in columns}
    rows = _raw_rows(upload, name)
    positions: dict[int, str] | None = None
    number = 0
    for number, raw in enumerate(rows, start=1):
        if number > HEADER_SEARCH_ROWS:
            break
        found = {
            index: by_header[header_key(cell)].key
            for index, cell in enumerate(raw)
            if header_key(cell) in by_header
        }
        if found:
            positions = found
            break
    if positions is None:
        raise FileProblem(
            _(
                "No header row was found: the first row must hold the template's column names "
                "(e.g. “%(example)s”). Download the template and copy the data into it."
            )
            % {"example": columns[0].header}
        )
    missing = [
        column.header
        for column in columns
        if column.required and column.key not in positions.values()
    ]
    if missing:
        raise FileProblem(
            _("The header lacks the required columns: %(columns)s.")
            % {"columns": "、".join(str(header) for header in missing)}
        )
    limit = max_rows()
    data_rows = 0
    header_row = number
    for number, raw in enumerate(rows, start=header_row + 1):  # noqa: B020 - rows is an iterator
        texts = {
            key: cell_text(raw[index]) if index < len(raw) else ""
            for index, key in positions.items()
        }
        if not any(text.strip() for text in texts.values()):
            continue
        data_rows += 1
        if data_rows > limit:
            raise FileProblem(
                _("The file has more than %(limit)d rows; split it into several files.")
                % {"limit": limit}
            )
        yield SourceRow(number=number, values=texts)


def estimate_rows(upload, *, name: str) -> int:
    """About how many rows the file holds, cheaply, to decide whether it is checked at once or
    in the background; 0 if unknown. For a workbook: the dimension the sheet states at its top
    (Excel writes one), else its uncompressed size over a typical row's (openpyxl's own sizing
    would parse the whole sheet once more)."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    upload.seek(0)
    try:
        if extension == "csv":
            return max(0, upload.read().count(b"\n") - 1)
        if extension == "xlsx":
            with zipfile.ZipFile(upload) as archive:
                sheets = sorted(
                    (n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")),
                    key=lambda n: (len(n), n),
                )
                if not sheets:
                    return 0
                with archive.open(sheets[0]) as sheet:
                    head = sheet.read(4096).decode("utf-8", "ignore")
                found = _DIMENSION.search(head)
                if found:
                    return max(0, int(found.group(1)) - 1)
                return archive.getinfo(sheets[0]).file_size // _BYTES_PER_ROW
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return 0
    finally:
        upload.seek(0)
    return 0
