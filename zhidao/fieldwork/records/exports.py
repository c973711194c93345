""".xlsx exports of the filtered work-record and practical-matter lists."""

from collections.abc import Iterable
from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from zhidao.core.workbooks import MAX_COLUMN_WIDTH, XLSX_CONTENT_TYPE, display_width

__all__ = ["MAX_COLUMN_WIDTH", "XLSX_CONTENT_TYPE", "build_workbook", "display_width"]

EXPORT_LIMIT = 20_000


def build_workbook(*, title: str, header: list[str], rows: Iterable[list]) -> bytes:
    """A one-sheet workbook; every column as wide as its widest cell (capped)."""
    rows = list(rows)
    widths = [display_width(name) for name in header]
    for values in rows:
        for index, value in enumerate(values):
            widths[index] = max(widths[index], display_width(value))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, MAX_COLUMN_WIDTH)
    bold = Font(bold=True)
    header_cells = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for values in rows:
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                # Text stays text: content starting with "=" must not become a formula.
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _date(value) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def work_record_workbook(records) -> bytes:
    header = [
        _("Date of the work"),
        _("Organization"),
        _("Instructor"),
        _("Duty"),
        _("Participants"),
        _("Content"),
        _("Recorded on"),
        _("Recorded late"),
    ]
    rows = (
        [
            _date(record.worked_on),
            record.organization.name,
            record.instructor.name,
            record.get_duty_display(),
            record.participants,
            record.content,
            _date(record.recorded_on),
            _("Yes") if record.is_late else _("No"),
        ]
        for record in records[:EXPORT_LIMIT]
    )
    return build_workbook(title=_("Work records"), header=header, rows=rows)


def practical_matter_workbook(matters) -> bytes:
    header = [
        pgettext("practical matter", "Title"),
        _("Organization"),
        _("District"),
        _("Instructor"),
        _("For whom"),
        _("Category"),
        _("Number of beneficiaries"),
        _("Status"),
        _("Source of funds"),
        _("Started on"),
        _("Completed on"),
        pgettext("practical matter", "Result"),
    ]
    rows = (
        [
            matter.title,
            matter.organization.name,
            matter.organization.district,
            matter.assignment.instructor.name,
            matter.get_beneficiary_display(),
            matter.get_category_display(),
            matter.beneficiaries_count,
            matter.get_status_display(),
            matter.funds_source,
            _date(matter.started_on),
            _date(matter.completed_on),
            matter.result,
        ]
        for matter in matters[:EXPORT_LIMIT]
    )
    return build_workbook(title=_("Practical matters"), header=header, rows=rows)
