"""The lists of work records, findings and practical matters as exports (zhidao/core/exports.py),
and the one-sheet workbook the compliance grid uses."""

from collections.abc import Iterable
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from zhidao.core.exports import Column, ListExport, register
from zhidao.core.workbooks import MAX_COLUMN_WIDTH, XLSX_CONTENT_TYPE, display_width

from . import selectors
from .filters import FindingFilterSet, PracticalMatterFilterSet, WorkRecordFilterSet

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


register(
    ListExport(
        key="work-records",
        title=_("Work records"),
        permission="fieldwork.view_workrecord",
        queryset=selectors.work_record_export,
        filterset_class=WorkRecordFilterSet,
        list_url="fieldwork:work_record_list",
        columns=[
            Column(_("Date of the work"), lambda record: record.worked_on),
            Column(_("Organization"), lambda record: record.organization.name),
            Column(_("Instructor"), lambda record: record.instructor.name),
            Column(_("Duty"), lambda record: record.get_duty_display()),
            Column(_("Participants"), lambda record: record.participants),
            Column(_("Content"), lambda record: record.content),
            Column(_("Attachments"), lambda record: record.attachment_count),
            Column(_("Recorded on"), lambda record: record.recorded_on),
            Column(_("Recorded late"), lambda record: record.is_late),
        ],
    )
)

register(
    ListExport(
        key="findings",
        title=_("Findings and rectification"),
        permission="fieldwork.view_finding",
        queryset=lambda user: selectors.finding_list(user, today=timezone.localdate()),
        filterset_class=FindingFilterSet,
        list_url="fieldwork:finding_list",
        columns=[
            Column(_("Organization"), lambda finding: finding.organization.name),
            Column(_("Category"), lambda finding: finding.get_category_display()),
            Column(_("Instructor"), lambda finding: finding.assignment.instructor.name),
            Column(_("Found on"), lambda finding: finding.found_on),
            Column(pgettext_lazy("finding", "Description"), lambda finding: finding.description),
            Column(_("Recommendation"), lambda finding: finding.recommendation),
            Column(_("Due date"), lambda finding: finding.due_on),
            Column(_("Overdue"), lambda finding: bool(finding.is_overdue)),
            Column(_("Status"), lambda finding: finding.get_status_display()),
            Column(_("Union's answer"), lambda finding: finding.answer),
            Column(_("Answered at"), lambda finding: finding.answered_at),
            Column(_("Closed at"), lambda finding: finding.closed_at),
        ],
    )
)

register(
    ListExport(
        key="practical-matters",
        title=_("Practical matters"),
        permission="fieldwork.view_practicalmatter",
        queryset=selectors.practical_matter_list,
        filterset_class=PracticalMatterFilterSet,
        list_url="fieldwork:practical_matter_list",
        columns=[
            Column(pgettext_lazy("practical matter", "Title"), lambda matter: matter.title),
            Column(_("Organization"), lambda matter: matter.organization.name),
            Column(_("District"), lambda matter: matter.organization.district),
            Column(_("Instructor"), lambda matter: matter.assignment.instructor.name),
            Column(_("For whom"), lambda matter: matter.get_beneficiary_display()),
            Column(_("Category"), lambda matter: matter.get_category_display()),
            Column(_("Number of beneficiaries"), lambda matter: matter.beneficiaries_count),
            Column(_("Status"), lambda matter: matter.get_status_display()),
            Column(_("Source of funds"), lambda matter: matter.funds_source),
            Column(_("Started on"), lambda matter: matter.started_on),
            Column(_("Completed on"), lambda matter: matter.completed_on),
            Column(pgettext_lazy("practical matter", "Result"), lambda matter: matter.result),
        ],
    )
)
