"""The report's figures as labelled rows, shared by the detail page, the .docx and the .xlsx."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhidao.fieldwork.compliance.selectors import ExemptReason, WeekState
from zhidao.figures.definitions import LABELS, SHOWN_COUNTS, SHOWN_RATES, rates_of

from .figures import counts_of, duty_label

COUNT_ROWS = tuple((key, LABELS[key]) for key in SHOWN_COUNTS)
RATE_ROWS = tuple((key, LABELS[key]) for key in SHOWN_RATES)


def summary_rows(figures: dict) -> list[tuple[str, object]]:
    """Counts (— where a snapshot of the first version did not have one), rates with their
    numerator and denominator, then the findings overdue and appeals handled."""
    counts = counts_of(figures)
    rows: list[tuple[str, object]] = [(_(label), counts.get(key, "—")) for key, label in COUNT_ROWS]
    rates = rates_of(counts)
    rows += [(str(label), str(rates[key])) for key, label in RATE_ROWS]
    overdue = figures.get("findings_overdue", (figures.get("findings") or {}).get("overdue"))
    rows.append((_("Findings overdue"), overdue if overdue is not None else "—"))
    rows.append((_("Appeals handled"), figures.get("appeals_handled", "—")))
    return rows


def summary_header() -> list[str]:
    return [label for label, _value in summary_rows({"version": 2, "counts": {}})]


def change_rows(changes) -> list[tuple[str, int, int]]:
    return [(str(LABELS.get(key, key)), frozen, live) for key, frozen, live in changes]


def change_text(changes) -> str:
    """ "驻点天数 5→6；工作记录 10→11"."""
    return "；".join(f"{label} {frozen}→{live}" for label, frozen, live in change_rows(changes))


def duty_rows(figures: dict) -> list[tuple[str, int, str]]:
    by_duty = figures.get("by_duty")
    if by_duty is None:  # first version
        by_duty = (figures.get("work_records") or {}).get("by_duty", [])
    return [
        (duty_label(row["duty"]), row["count"], "、".join(d[5:] for d in row["dates"]))
        for row in by_duty
    ]


def week_rows(figures: dict) -> list[dict]:
    """The weeks of the quarter with the days behind each state (a missed week shows the day
    still awaiting confirmation, or disputed)."""
    if figures.get("version") != 2:
        return []
    rows = []
    for week in figures.get("weeks", []):
        if week["state"] in (WeekState.OUTSIDE, WeekState.UPCOMING):
            continue
        label = str(WeekState.LABELS.get(week["state"], week["state"]))
        if week["state"] == WeekState.EXEMPT:
            reason = ExemptReason.LABELS.get(week.get("exempt_reason"), "")
            label = f"{label}（{reason}）" if reason else label
            if week.get("exempt_late"):
                label = f"{label} {pgettext('leave', 'reported late')}"
        rows.append(
            {
                "week": week["week"],
                "week_start": week["week_start"],
                "state": week["state"],
                "label": label,
                "confirmed": "、".join(d[5:] for d in week["confirmed"]),
                "pending": "、".join(d[5:] for d in week["pending"]),
                "disputed": "、".join(d[5:] for d in week["disputed"]),
            }
        )
    return rows


def report_title(report) -> str:
    return _("%(name)s's work report for the %(quarter)s quarter of %(year)s") % {
        # "XX指导员…": a name that already ends with the title does not get it twice.
        "name": report.assignment.instructor.name.removesuffix("指导员"),
        "quarter": quarter_name(report.quarter),
        "year": report.year,
    }


def quarter_name(quarter: int) -> str:
    names = {
        1: pgettext("quarter", "first"),
        2: pgettext("quarter", "second"),
        3: pgettext("quarter", "third"),
        4: pgettext("quarter", "fourth"),
    }
    return names[quarter]
