"""Reads of the federation dashboard (工会看板): every figure comes from the figures module's
summary rows for the chosen quarter (or year), plus the report status of its assignments. A fixed
number of queries, bounded by the period, never by the years of history."""

from __future__ import annotations

from datetime import date

from django.db.models import Count
from django.http import Http404

from zhidao.accounts.scope import scope_of
from zhidao.dispatch.models import Instructor
from zhidao.fieldwork.models import Duty
from zhidao.figures.definitions import Rate, rates_of
from zhidao.figures.models import AssignmentWeekFigures
from zhidao.figures.periods import Period, recent_quarters
from zhidao.figures.summary import SubtreeFigures, breakdown_by, subtree_figures, subtree_rows
from zhidao.orgs.models import Federation, Organization
from zhidao.orgs.selectors import federations_visible_to
from zhidao.reports.models import QuarterlyReport

__all__ = [
    "Period",
    "dashboard_federations",
    "default_federation",
    "federation_dashboard",
    "recent_quarters",
]


def dashboard_federations(user):
    """The federations whose dashboard the user may open (admins and leaders: their subtree)."""
    scope = scope_of(user)
    if not (scope.is_federation_staff or scope.is_superuser):
        return Federation.objects.none()
    return federations_visible_to(user)


def default_federation(user) -> Federation:
    federation = dashboard_federations(user).order_by("depth", "path").first()
    if federation is None:
        raise Http404
    return federation


def report_status(
    federation: Federation, period: Period, expected: int, organization=None
) -> dict | None:
    """The quarter's reports by status, of the assignments counted in the subtree."""
    if period.kind != "quarter":
        return None
    counted = (
        subtree_rows(AssignmentWeekFigures, federation, period, organization)
        .exclude(state="")
        .values("assignment_id")
    )
    rows = (
        # The reports of the assignments counted in a subtree the user may see.
        QuarterlyReport.objects.unscoped()
        .filter(year=period.year_number, quarter=period.quarter_number, assignment_id__in=counted)
        .order_by()
        .values("status")
        .annotate(n=Count("pk", distinct=True))
    )
    counts = {row["status"]: row["n"] for row in rows}
    labels = dict(QuarterlyReport._meta.get_field("status").choices or ())
    started = sum(counts.values())
    return {
        "expected": expected,
        "by_status": {str(labels.get(key, key)): n for key, n in counts.items()},
        "not_started": max(expected - started, 0),
    }


def _with_rates(row: dict) -> dict:
    row = dict(row)
    row["rates"] = rates_of(row)
    row["coverage"] = Rate(row.get("organizations_covered", 0), row.get("organizations_active", 0))
    return row


def _drill_down(figures: SubtreeFigures) -> dict:
    """The page's breakdown one level down: child federations, else the organizations of a
    federation without children, else (one organization) its instructors."""
    federation, period, organization = figures.federation, figures.period, figures.organization
    if organization is not None:
        groups = breakdown_by(federation, period, by="instructor", organization=organization)
        names = dict(Instructor.objects.unscoped().filter(pk__in=groups).values_list("pk", "name"))
        level = "instructor"
    elif len(figures.breakdown) > 1:
        rows = [{"pk": row["federation"], **_with_rates(row)} for row in figures.breakdown]
        return {"level": "district", "rows": rows}
    else:
        groups = breakdown_by(federation, period, by="organization")
        # The names of the organizations of a subtree the user may see.
        names = dict(
            Organization.objects.unscoped().filter(pk__in=groups).values_list("pk", "name")
        )
        level = "organization"
    rows = [
        {"pk": pk, "name": names.get(pk, ""), "is_direct": False, **_with_rates(row)}
        for pk, row in groups.items()
    ]
    rows.sort(key=lambda row: row["name"])
    return {"level": level, "rows": rows}


def federation_dashboard(
    user, *, federation: Federation, period: Period, today: date, organization=None
) -> dict:
    """Every figure of the dashboard for the federation's subtree (or one organization)."""
    figures = subtree_figures(federation, period, today=today, organization=organization)
    totals = _with_rates(figures.totals)
    return {
        "federation": federation,
        "organization": organization,
        "quarter": period,
        "period": period,
        "as_of": figures.as_of,
        "as_of_day": figures.as_of_day,
        "totals": totals,
        "breakdown": [_with_rates(row) for row in figures.breakdown],
        "drill_down": _drill_down(figures),
        "weeks": [{**week, "label": f"{week['week_start']:%m-%d}"} for week in figures.weeks],
        "by_duty": [
            {"duty": value, "label": str(label), "count": figures.totals[f"records_{value}"]}
            for value, label in Duty.choices
        ],
        "reports": report_status(federation, period, figures.totals["assignments"], organization),
    }


def federation_headline(user, *, today: date) -> dict | None:
    """The dashboard's headline figures of the quarter for the user's federation (the leader's
    workbench): the summary rows only, without the breakdowns."""
    federation = dashboard_federations(user).order_by("depth", "path").first()
    if federation is None:
        return None
    period = Period.quarter_of(today)
    figures = subtree_figures(federation, period, today=today)
    return {
        "federation": federation,
        "period": period,
        "as_of": figures.as_of,
        "totals": _with_rates(figures.totals),
        "reports": report_status(federation, period, figures.totals["assignments"]),
    }
