"""The template a federation downloads for each kind: the columns' Chinese headers (required ones
marked *), an example row, drop-down lists for coded columns, text format for code columns (so
Excel keeps an 18-character credit code or a phone number as typed), and a sheet that explains
every column."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from zhidao.core.workbooks import display_width, new_workbook, workbook_bytes

from .kinds.base import ImportKind

# Drop-downs are validated for this many rows below the header.
VALIDATED_ROWS = 5000
_REQUIRED_FILL = PatternFill("solid", fgColor="FDE9D9")


def header_text(column) -> str:
    return f"*{column.header}" if column.required else str(column.header)


def template_filename(kind: ImportKind) -> str:
    return _("%(kind)s_import_template.xlsx") % {"kind": kind.label}


def build_template(kind: ImportKind) -> bytes:
    workbook = new_workbook()
    sheet = workbook.create_sheet(title=str(kind.label)[:31])
    choices_sheet = None
    sheet.append([header_text(column) for column in kind.columns])
    sheet.append([column.example for column in kind.columns])
    for index, column in enumerate(kind.columns, start=1):
        letter = get_column_letter(index)
        header = sheet.cell(row=1, column=index)
        header.font = Font(bold=True)
        header.alignment = Alignment(vertical="center")
        if column.required:
            header.fill = _REQUIRED_FILL
        width = column.width or max(display_width(header.value), display_width(column.example))
        sheet.column_dimensions[letter].width = min(width + 4, 60)
        sheet.cell(row=2, column=index).data_type = "s"
        # Text format for the whole column: codes and phone numbers stay as typed.
        for row in range(2, 2 + 200):
            sheet.cell(row=row, column=index).number_format = "@"
        if column.choices:
            if choices_sheet is None:
                choices_sheet = workbook.create_sheet(title=_("Options"))
            choices_sheet.cell(row=1, column=index, value=str(column.header)).font = Font(bold=True)
            for offset, (_value, label) in enumerate(column.choices, start=2):
                choices_sheet.cell(row=offset, column=index, value=str(label))
            last = len(column.choices) + 1
            source = f"{quote_sheetname(choices_sheet.title)}!${letter}$2:${letter}${last}"
            validation = DataValidation(
                type="list",
                formula1=source,
                allow_blank=not column.required,
                showErrorMessage=True,
                errorTitle=_("Not in the list"),
                error=_("Choose a value from the drop-down list."),
            )
            validation.add(f"{letter}2:{letter}{VALIDATED_ROWS + 1}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    _explanation_sheet(workbook, kind)
    return workbook_bytes(workbook)


def _explanation_sheet(workbook, kind: ImportKind) -> None:
    sheet = workbook.create_sheet(title=_("Instructions"))
    sheet.append([_("How to fill in the sheet “%(sheet)s”") % {"sheet": kind.label}])
    sheet["A1"].font = Font(bold=True, size=13)
    notes = [
        _("One row per record; the first row holds the column names: do not change them."),
        _("Columns marked * are required. The second row is an example: replace or delete it."),
        _(
            "Full-width digits and letters and stray spaces are cleaned on import; the preview "
            "shows every cleaned cell."
        ),
        _(
            "Nothing is written until you confirm the preview, and then all rows or none. "
            "Importing the same file again changes nothing; a changed row updates its record."
        ),
        _("Dates as 2026-03-01. The file may also be saved as CSV (UTF-8 or GB18030)."),
    ]
    for note in notes:
        sheet.append([note])
    sheet.append([])
    heading = [_("Column"), _("Required"), _("Explanation"), _("Example"), _("Allowed values")]
    sheet.append(heading)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for column in kind.columns:
        sheet.append(
            [
                str(column.header),
                _("yes") if column.required else _("no"),
                str(column.help),
                column.example,
                "、".join(str(label) for _value, label in column.choices),
            ]
        )
        for cell in sheet[sheet.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDE", (22, 8, 60, 28, 40), strict=True):
        sheet.column_dimensions[letter].width = width
