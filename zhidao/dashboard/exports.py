"""The dashboard's figures as one .xlsx workbook: one sheet per figure, frozen header, a totals
row, column widths that fit Chinese text."""

from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from zhidao.fieldwork.records_exports import MAX_COLUMN_WIDTH, display_width

FIGURE_COLUMNS = (
    ("met", gettext_noop("Weeks met")),
    ("missed", gettext_noop("Weeks missed")),
    ("exempt", gettext_noop("Weeks exempt")),
    ("compliance_rate", gettext_noop("Compliance rate (%)")),
    ("work_records", gettext_noop("Work records")),
    ("matters_done", gettext_noop("Practical matters done")),
    ("beneficiaries", gettext_noop("Beneficiaries")),
    ("findings_opened", gettext_noop("Findings opened")),
    ("findings_closed", gettext_noop("Findings closed")),
    ("closure_rate", gettext_noop("Closure rate (%)")),
)


def _sheet(workbook, title: str, header: list[str], rows: list[list], totals: list | None):
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = bold
    for row in rows:
        sheet.append(row)
    if totals is not None:
        sheet.append(totals)
        for cell in sheet[sheet.max_row]:
            cell.font = bold
    sheet.freeze_panes = "A2"
    for index in range(1, len(header) + 1):
        letter = get_column_letter(index)
        width = max(display_width(cell.value) for cell in sheet[letter])
        sheet.column_dimensions[letter].width = min(width + 2, MAX_COLUMN_WIDTH)


def _sum(rows: list[list], index: int) -> int:
    return sum(row[index] or 0 for row in rows)


def dashboard_workbook(figures: dict) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    scope = figures["organization"] or figures["federation"]
    totals, coverage = figures["totals"], figures["coverage"]
    overview = [
        [_("Scope"), str(scope)],
        [_("Quarter"), figures["quarter"].key],
    ]
    if coverage is not None:
        overview += [
            [_("Active organizations"), coverage["active"]],
            [_("Organizations with an active instructor"), coverage["covered"]],
            [_("Coverage (%)"), coverage["rate"]],
        ]
    overview += [[_(label), totals[key]] for key, label in FIGURE_COLUMNS]
    reports = figures["reports"]
    if reports is None:
        overview.append([_("Report submission"), _("Not available yet")])
    else:
        overview.append([_("Reports expected"), reports["expected"]])
        overview += [[status, n] for status, n in sorted(reports["by_status"].items())]
        overview.append([_("Reports not started"), reports["not_started"]])
    _sheet(workbook, _("Overview"), [_("Figure"), _("Value")], overview, None)

    weeks = [
        [week["week_start"].isoformat(), week["met"], week["missed"], week["exempt"]]
        for week in figures["weeks"]
    ]
    _sheet(
        workbook,
        _("Compliance by week"),
        [_("Week"), _("Met"), _("Missed"), _("Exempt")],
        weeks,
        [_("Total"), _sum(weeks, 1), _sum(weeks, 2), _sum(weeks, 3)],
    )

    duties = [[item["label"], item["count"]] for item in figures["by_duty"]]
    _sheet(
        workbook,
        _("Work records by duty"),
        [_("Duty"), _("Work records")],
        duties,
        [_("Total"), _sum(duties, 1)],
    )

    breakdown = [
        [item["name"]] + [item[key] for key, _label in FIGURE_COLUMNS]
        for item in figures["breakdown"]["rows"]
    ]
    total_row = [_("Total")] + [totals[key] for key, _label in FIGURE_COLUMNS]
    _sheet(
        workbook,
        _("Breakdown"),
        [_("Name")] + [_(label) for _key, label in FIGURE_COLUMNS],
        breakdown,
        total_row,
    )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
