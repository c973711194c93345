"""Exports: one report as .docx (Chinese official-document layout) and the federation's quarter
roll-up as .xlsx."""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from zhidao.core.exports import Column, ListExport, register
from zhidao.core.workbooks import MAX_COLUMN_WIDTH, XLSX_CONTENT_TYPE, display_width
from zhidao.figures.definitions import LABELS, rates_of
from zhidao.figures.exports import add_definitions_sheet

from . import selectors
from .figures import counts_of, live_changes
from .filters import ReportFilterSet
from .models import ReportStatus
from .presentation import (
    COUNT_ROWS,
    RATE_ROWS,
    change_text,
    duty_rows,
    report_title,
    summary_rows,
    week_rows,
)

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
__all__ = ["DOCX_CONTENT_TYPE", "XLSX_CONTENT_TYPE", "report_docx", "rollup_workbook"]

BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
TITLE_FONT = "宋体"


def _set_font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _paragraph(document, text: str, *, font=BODY_FONT, size=16, bold=False, align=None):
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    _set_font(paragraph.add_run(text), font, size, bold)
    return paragraph


def _page_number_footer(section) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    _set_font(run, TITLE_FONT, 14)
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1")):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = " PAGE "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._element.append(element)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._element.append(end)


def _table(document, header: list[str], rows: list[tuple]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        _set_font(cell.paragraphs[0].add_run(text), HEADING_FONT, 12)
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = ""
            _set_font(cell.paragraphs[0].add_run(str(value)), BODY_FONT, 12)


def report_docx(report) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _page_number_footer(section)

    _paragraph(
        document,
        report_title(report),
        font=TITLE_FONT,
        size=22,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    federation = report.assignment.batch.federation.name
    when = report.submitted_at or report.figures_computed_at or timezone.now()
    _paragraph(
        document,
        f"{federation}    {timezone.localtime(when):%Y年%m月%d日}",
        size=14,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    organizations = "、".join(o.name for o in report.assignment.organizations.all())
    _paragraph(document, _("Organizations: %(names)s") % {"names": organizations}, size=14)
    _paragraph(document, report.data_as_of, size=12)

    sections = [
        (_("1. Figures of the quarter"), None),
        (_("2. Work done"), report.work_done),
        (_("3. Problems and difficulties"), report.problems),
        (_("4. Plan for next quarter"), report.next_plan),
    ]
    for heading, text in sections:
        document.add_heading(heading, level=1)
        for run in document.paragraphs[-1].runs:
            _set_font(run, HEADING_FONT, 16)
        if text is None:
            _table(document, [_("Item"), _("Figure")], summary_rows(report.figures))
            weeks = week_rows(report.figures)
            if weeks:
                _paragraph(document, _("On-site days week by week"), size=14, bold=True)
                _table(
                    document,
                    [
                        pgettext("column", "Week"),
                        _("State"),
                        pgettext("on-site days", "Confirmed"),
                        pgettext("on-site days", "Awaiting confirmation"),
                        pgettext("on-site days", "Disputed"),
                    ],
                    [
                        (
                            w["week"],
                            w["label"],
                            w["confirmed"] or "—",
                            w["pending"] or "—",
                            w["disputed"] or "—",
                        )
                        for w in weeks
                    ],
                )
            duties = duty_rows(report.figures)
            if duties:
                _paragraph(document, _("Work records by duty"), size=14, bold=True)
                _table(document, [_("Duty"), _("Records"), _("Dates")], duties)
            continue
        for line in (text or "—").splitlines() or ["—"]:
            if line.strip():
                paragraph = _paragraph(document, line.strip())
                paragraph.paragraph_format.first_line_indent = Pt(32)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rollup_header() -> list[str]:
    return (
        [_("Instructor"), _("Organizations"), _("Status"), _("Submitted late")]
        + [str(label) for _key, label in COUNT_ROWS]
        + [str(label) for _key, label in RATE_ROWS]
        + [_("Changed since submission")]
    )


def _rates(counts: dict) -> list[str]:
    rates = rates_of(counts)
    return [str(rates[key]) for key, _label in RATE_ROWS]


def rollup_workbook(reports, *, title: str, live: dict | None = None) -> bytes:
    """One row per report of the quarter with its frozen figures, a totals row, the header
    frozen; a submitted or approved report whose live figures have moved since says so and
    shows both (批准后数据有变化 …), and a second sheet holds the 口径说明."""
    live = live or {}
    header = rollup_header()
    rows = []
    totals = dict.fromkeys((key for key, _label in COUNT_ROWS), 0)
    for report in reports:
        organizations = "、".join(o.name for o in report.assignment.organizations.all())
        counts = counts_of(report.figures)
        for key in totals:
            totals[key] += counts.get(key, 0)
        changed = ""
        if report.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED):
            changes = live_changes(counts, live.get(report.assignment_id, {}))
            if changes:
                lead = (
                    _("Changed since approval")
                    if report.status == ReportStatus.APPROVED
                    else _("Changed since submission")
                )
                changed = f"{lead}：{change_text(changes)}"
        rows.append(
            [
                report.assignment.instructor.name,
                organizations,
                report.get_status_display(),
                _("Yes") if report.is_late else _("No"),
            ]
            + [counts.get(key, 0) for key, _label in COUNT_ROWS]
            + _rates(counts)
            + [changed]
        )
    total_row = [_("Total"), "", "", sum(1 for report in reports if report.is_late)]
    total_row += [totals[key] for key, _label in COUNT_ROWS] + _rates(totals) + [""]

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    bold = Font(bold=True)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    sheet.append(total_row)
    for cell in sheet[1]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    for index, name in enumerate(header, start=1):
        width = max(
            [min(display_width(name), 12)]
            + [display_width(r[index - 1]) for r in rows + [total_row]]
        )
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, MAX_COLUMN_WIDTH)
    sheet.freeze_panes = "C2"
    # Printed: landscape, all columns on one page wide, the header repeated on every page.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    add_definitions_sheet(workbook)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ----- the upward statistical report -----


def _cell(value) -> object:
    if value is None:
        return "—"
    if isinstance(value, int | float):
        return value
    return str(value)


def upward_tables(report) -> list[dict]:
    """The report's tables in print order, shared by the page, the .xlsx and the .docx: each
    section with a row per direct child federation, 本级直属 and 合计; then practical matters by
    category and assignments by batch."""
    tables = []
    for section in report.sections:
        rows = []
        for row in report.all_rows():
            name = row["name"]
            if row.get("is_direct"):
                name = _("%(name)s (directly under)") % {"name": name}
            rows.append(
                {
                    "is_total": row.get("is_total", False),
                    "cells": [name, *(_cell(column.value(row)) for column in section.columns)],
                }
            )
        tables.append(
            {
                "key": section.key,
                "title": str(section.title),
                "header": [_("Federation"), *(str(column.label) for column in section.columns)],
                "rows": rows,
            }
        )
    categories = [
        {
            "is_total": False,
            "cells": [row["label"], row["done"], row["workers"], row["enterprises"]],
        }
        for row in report.matters_by_category
    ]
    categories.append(
        {
            "is_total": True,
            "cells": [
                _("Total"),
                *(
                    sum(row[key] for row in report.matters_by_category)
                    for key in ("done", "workers", "enterprises")
                ),
            ],
        }
    )
    tables.append(
        {
            "key": "matter_categories",
            "title": _("Practical matters by category"),
            "header": [
                _("Category"),
                str(LABELS["matters_done"]),
                str(LABELS["beneficiaries_workers"]),
                str(LABELS["beneficiaries_enterprises"]),
            ],
            "rows": categories,
        }
    )
    tables.append(
        {
            "key": "batches",
            "title": _("Instructors dispatched by batch"),
            "header": [
                _("Batch"),
                _("Federation"),
                _("Term"),
                pgettext("upward report", "Instructors dispatched"),
                pgettext("upward report", "Instructors on duty"),
            ],
            "rows": [
                {
                    "is_total": False,
                    "cells": [
                        row["batch"],
                        row["federation"],
                        f"{row['starts_on']:%Y-%m-%d} — {row['ends_on']:%Y-%m-%d}",
                        row["dispatched"],
                        row["running"],
                    ],
                }
                for row in report.batches
            ],
        }
    )
    return tables


def upward_title(report) -> str:
    return _("Statistics of the union instructor programme, %(period)s") % {
        "period": report.period.label
    }


def upward_workbook(report) -> bytes:
    """Sheet 1: the whole table with its title block, ready to print; sheet 2: 口径说明."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = pgettext("upward report", "Statistics")[:31]
    bold = Font(bold=True)
    sheet.append([upward_title(report)])
    sheet["A1"].font = Font(bold=True, size=16)
    sheet.append(
        [
            _("Federation: %(name)s") % {"name": report.federation.name},
            "",
            _("Period: %(first)s to %(last)s")
            % {"first": report.period.first, "last": report.period.last},
            "",
            _("Prepared on %(day)s") % {"day": timezone.localdate(report.prepared_at)},
        ]
    )
    widths: dict[int, int] = {}
    for table in upward_tables(report):
        sheet.append([])
        sheet.append([table["title"]])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, size=13)
        sheet.append(table["header"])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for row in table["rows"]:
            sheet.append(row["cells"])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                if row["is_total"]:
                    cell.font = bold
        for index, value in enumerate(table["header"], start=1):
            widths[index] = max(widths.get(index, 0), min(display_width(value), 14))
        for row in table["rows"]:
            for index, value in enumerate(row["cells"], start=1):
                widths[index] = max(widths.get(index, 0), display_width(value))
    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, MAX_COLUMN_WIDTH)
    sheet.append([])
    sheet.append([_("Prepared by:"), "", _("Checked by:"), "", _("(seal)")])
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    add_definitions_sheet(workbook)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upward_document(report) -> bytes:
    """Landscape A4 for printing and stamping: title, federation, period, date, the tables,
    and the lines for 制表人 and 审核人."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.top_margin = section.bottom_margin = Cm(2.0)
    section.left_margin = section.right_margin = Cm(2.0)
    _page_number_footer(section)
    _paragraph(
        document,
        upward_title(report),
        font=TITLE_FONT,
        size=20,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    _paragraph(
        document,
        "    ".join(
            [
                _("Federation (seal): %(name)s") % {"name": report.federation.name},
                _("Period: %(first)s to %(last)s")
                % {"first": report.period.first, "last": report.period.last},
                _("Prepared on %(day)s")
                % {"day": f"{timezone.localdate(report.prepared_at):%Y年%m月%d日}"},
            ]
        ),
        size=12,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    for table in upward_tables(report):
        _paragraph(document, table["title"], font=HEADING_FONT, size=14, bold=True)
        grid = document.add_table(rows=1, cols=len(table["header"]))
        grid.style = "Table Grid"
        for cell, text in zip(grid.rows[0].cells, table["header"], strict=True):
            cell.text = ""
            _set_font(cell.paragraphs[0].add_run(str(text)), HEADING_FONT, 9)
        for row in table["rows"]:
            cells = grid.add_row().cells
            for cell, value in zip(cells, row["cells"], strict=True):
                cell.text = ""
                _set_font(cell.paragraphs[0].add_run(str(value)), BODY_FONT, 9, row["is_total"])
    _paragraph(document, "", size=12)
    _paragraph(
        document,
        "            ".join(
            [
                _("Prepared by:") + "________",
                _("Checked by:") + "________",
                _("Phone:") + "________",
            ]
        ),
        size=12,
    )
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ----- the report list as an export (zhidao/core/exports.py) -----

register(
    ListExport(
        key="quarterly-reports",
        title=gettext_lazy("Quarterly reports"),
        permission="reports.view_quarterlyreport",
        queryset=selectors.report_list,
        filterset_class=ReportFilterSet,
        list_url="reports:report_list",
        columns=[
            Column(gettext_lazy("Year"), lambda report: report.year),
            Column(gettext_lazy("Quarter"), lambda report: report.quarter),
            Column(gettext_lazy("Instructor"), lambda report: report.assignment.instructor.name),
            Column(
                gettext_lazy("Federation"), lambda report: report.assignment.batch.federation.name
            ),
            Column(gettext_lazy("Batch"), lambda report: report.assignment.batch.name),
            Column(gettext_lazy("Status"), lambda report: report.get_status_display()),
            Column(pgettext_lazy("report", "Due date"), lambda report: report.due_on),
            Column(gettext_lazy("Submitted at"), lambda report: report.submitted_at),
            Column(gettext_lazy("Late"), lambda report: report.is_late),
            Column(gettext_lazy("Approved at"), lambda report: report.approved_at),
        ],
    )
)
