"""The dashboard's figures as one .xlsx workbook: the overview, the weeks, the records by duty,
the breakdown with its totals row (the rows add up to it) and the 口径说明."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhidao.core.workbooks import add_sheet, new_workbook, workbook_bytes
from zhidao.figures.definitions import LABELS, SHOWN_COUNTS, SHOWN_RATES
from zhidao.figures.exports import add_definitions_sheet

FIGURE_COLUMNS = tuple((key, LABELS[key]) for key in SHOWN_COUNTS)
RATE_COLUMNS = tuple((key, LABELS[key]) for key in SHOWN_RATES)


def _figures_row(row: dict) -> list:
    return [row.get(key, 0) for key, _label in FIGURE_COLUMNS] + [
        str(row["rates"][key]) for key, _label in RATE_COLUMNS
    ]


def dashboard_workbook(figures: dict) -> bytes:
    workbook = new_workbook()
    scope = figures["organization"] or figures["federation"]
    totals = figures["totals"]
    overview = [
        [_("Scope"), str(scope)],
        [pgettext("period", "Period"), figures["period"].label],
        [
            _("Figures as of"),
            figures["as_of"].strftime("%Y-%m-%d %H:%M") if figures["as_of"] else "—",
        ],
    ]
    if figures["organization"] is None:
        overview += [
            [_("Active organizations"), totals["organizations_active"]],
            [_("Organizations with an active instructor"), totals["organizations_covered"]],
            [str(LABELS["coverage"]), str(totals["coverage"])],
        ]
    overview += [[str(label), totals[key]] for key, label in FIGURE_COLUMNS]
    overview += [[str(label), str(totals["rates"][key])] for key, label in RATE_COLUMNS]
    reports = figures["reports"]
    if reports is not None:
        overview.append([_("Reports expected"), reports["expected"]])
        overview += [[status, n] for status, n in sorted(reports["by_status"].items())]
        overview.append([_("Reports not started"), reports["not_started"]])
    add_sheet(
        workbook,
        title=_("Overview"),
        header=[pgettext("column", "Figure"), _("Value")],
        rows=overview,
    )

    states = ("met", "missed", "exempt", "pending")
    weeks = [
        [week["week_start"].isoformat()] + [week[s] for s in states] for week in figures["weeks"]
    ]
    add_sheet(
        workbook,
        title=_("Compliance by week"),
        header=[
            pgettext("column", "Week"),
            pgettext("compliance week", "Met"),
            pgettext("compliance week", "Missed"),
            pgettext("compliance week", "Exempt"),
            pgettext("compliance week", "Pending"),
        ],
        rows=weeks,
        totals=[_("Total")] + [sum(row[i] for row in weeks) for i in range(1, 5)],
    )

    duties = [[item["label"], item["count"]] for item in figures["by_duty"]]
    add_sheet(
        workbook,
        title=_("Work records by duty"),
        header=[_("Duty"), _("Work records")],
        rows=duties,
        totals=[_("Total"), sum(row[1] for row in duties)],
    )

    header = [_("Name")] + [str(label) for _k, label in FIGURE_COLUMNS + RATE_COLUMNS]
    rows = []
    for row in figures["drill_down"]["rows"]:
        name = row["name"]
        if row.get("is_direct"):
            name = _("%(name)s (directly under)") % {"name": name}
        rows.append([name] + _figures_row(row))
    add_sheet(
        workbook,
        title=_("Breakdown"),
        header=header,
        rows=rows,
        totals=[_("Total")] + _figures_row(totals),
    )
    add_definitions_sheet(workbook)
    return workbook_bytes(workbook)
