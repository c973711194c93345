"""The report's figures as labelled rows, shared by the detail page, the .docx and the .xlsx."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .figures import duty_label


def summary_rows(figures: dict) -> list[tuple[str, int]]:
    weeks = figures.get("weeks", {})
    findings = figures.get("findings", {})
    matters = figures.get("practical_matters", {})
    return [
        (_("Weeks met"), weeks.get("met", 0)),
        (_("Weeks missed"), weeks.get("missed", 0)),
        (_("Weeks exempt"), weeks.get("exempt", 0)),
        (_("Confirmed on-site days"), figures.get("on_site_days", 0)),
        (_("Work records"), figures.get("work_records", {}).get("total", 0)),
        (_("Findings opened"), findings.get("opened", 0)),
        (_("Findings closed"), findings.get("closed", 0)),
        (_("Findings overdue"), findings.get("overdue", 0)),
        (_("Practical matters done"), matters.get("done", 0)),
        (_("Beneficiaries"), matters.get("beneficiaries", 0)),
        (_("Appeals handled"), figures.get("appeals_handled", 0)),
    ]


def duty_rows(figures: dict) -> list[tuple[str, int, str]]:
    return [
        (duty_label(row["duty"]), row["count"], "、".join(d[5:] for d in row["dates"]))
        for row in figures.get("work_records", {}).get("by_duty", [])
    ]


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
