"""A federation subtree's figures for a quarter or a year, from the summary rows: the totals,
one row per direct child federation plus 本级直属 (rows that add up to the totals), the weeks
for the chart and the records by duty. Aggregated in the database; a fixed number of queries
whatever the history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, F, Max, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Substr

from zhidao.dispatch.models import AssignmentStatus
from zhidao.fieldwork.models import Duty
from zhidao.orgs.models import PATH_STEP, Federation, Organization

from .definitions import ADDITIVE_KEYS, EXTRA_ADDITIVE_KEYS, WEEK_STATES, rates_of
from .models import (
    AssignmentWeekFigures,
    FederationPeriodFigures,
    FederationWeekFigures,
    OrganizationWeekFigures,
)
from .periods import Period

ALL_KEYS = ADDITIVE_KEYS + EXTRA_ADDITIVE_KEYS
DIRECT = "direct"


def _sum(name: str):
    return Coalesce(Sum(name), Value(0))


def assignment_aggregates() -> dict:
    required = ~Q(state="")
    aggregates = {
        "assignments": Count("assignment", distinct=True, filter=required),
        "weeks_required": Count("pk", filter=required),
        "weeks_exempt_late": Count("pk", filter=Q(state="exempt", exempt_late=True)),
        "on_site_days": _sum("on_site_days"),
        "days_pending": _sum("days_pending"),
        "days_disputed": _sum("days_disputed"),
        "as_of": Max("refreshed_at"),
    }
    for state in WEEK_STATES:
        aggregates[f"weeks_{state}"] = Count("pk", filter=Q(state=state))
    return aggregates


def organization_aggregates(period: Period) -> dict:
    closed_of_opened = (
        "findings_opened_closed_in_year"
        if period.kind == "year"
        else "findings_opened_closed_in_quarter"
    )
    aggregates = {
        name: _sum(name)
        for name in (
            "site_visits",
            "work_records",
            "prompt_records",
            "findings_opened",
            "findings_closed",
            "matters_done",
            "beneficiaries_workers",
            "beneficiaries_enterprises",
        )
    }
    aggregates.update({f"records_{duty}": _sum(f"records_{duty}") for duty in Duty.values})
    aggregates["findings_opened_closed"] = _sum(closed_of_opened)
    aggregates["as_of"] = Max("refreshed_at")
    return aggregates


def period_rows(model, period: Period) -> QuerySet:
    if period.kind == "quarter":
        return model.objects.filter(year=period.year_number, quarter=period.quarter_number)
    if period.kind == "year":
        return model.objects.filter(year=period.year_number)
    raise ValueError("summary rows hold quarters and years; a range is computed live")


def subtree_rows(model, federation: Federation, period: Period, organization=None) -> QuerySet:
    rows = period_rows(model, period).filter(federation_path__startswith=federation.path)
    if organization is not None:
        rows = rows.filter(organization=organization)
    return rows


def child_key(federation: Federation):
    """The path of the direct child holding a row; the federation's own path for its own."""
    return Substr("federation_path", 1, len(federation.path) + PATH_STEP + 1)


def _empty() -> dict:
    return dict.fromkeys(ALL_KEYS, 0)


def _merge(target: dict, values: dict) -> None:
    for key, value in values.items():
        if key == "as_of":
            if value is not None and (target.get("as_of") is None or value > target["as_of"]):
                target["as_of"] = value
        elif key in target:
            target[key] += value or 0


def grouped(federation: Federation, period: Period, group, *, organization=None) -> dict:
    """Figures per group (an expression over the rows: child path, organization, instructor)."""
    groups: dict = {}
    for model, aggregates in (
        (AssignmentWeekFigures, assignment_aggregates()),
        (OrganizationWeekFigures, organization_aggregates(period)),
    ):
        rows = (
            subtree_rows(model, federation, period, organization)
            .annotate(group=group)
            .order_by()
            .values("group")
            .annotate(**aggregates)
        )
        for row in rows:
            target = groups.setdefault(row.pop("group"), {**_empty(), "as_of": None})
            _merge(target, row)
    return groups


def rollup_rows(model, federation: Federation, period: Period) -> QuerySet:
    """The roll-up rows (one per federation of the subtree) of a quarter or a year."""
    if period.kind not in ("quarter", "year"):
        raise ValueError("roll-up rows hold quarters and years; a range is computed live")
    rows = model.objects.filter(
        year=period.year_number, federation_path__startswith=federation.path
    )
    if model is FederationPeriodFigures:
        return rows.filter(quarter=period.quarter_number or 0)
    if period.kind == "quarter":
        return rows.filter(quarter=period.quarter_number)
    return rows


def rolled_up(federation: Federation, period: Period) -> dict:
    """Figures and coverage per direct child (its path; the federation's own path for its own
    rows), from at most one roll-up row per federation of the subtree."""
    # Imported here: rollup.py builds its aggregates from this module's.
    from .rollup import FIELDS

    rows = (
        rollup_rows(FederationPeriodFigures, federation, period)
        .annotate(group=child_key(federation))
        .order_by()
        .values("group")
        .annotate(**{name: _sum(name) for name in FIELDS}, as_of=Max("refreshed_at"))
    )
    return {row.pop("group"): row for row in rows}


def active_on_q(day: date, prefix: str = "") -> Q:
    """The assignment ran on that day (planned ones never did)."""
    return (
        ~Q(**{f"{prefix}status": AssignmentStatus.PLANNED})
        & Q(**{f"{prefix}starts_on__lte": day})
        & (
            Q(**{f"{prefix}ended_on__gte": day})
            | Q(**{f"{prefix}ended_on__isnull": True, f"{prefix}ends_on__gte": day})
        )
    )


@dataclass
class SubtreeFigures:
    federation: Federation
    period: Period
    as_of_day: date
    totals: dict
    breakdown: list[dict]  # direct children, then 本级直属
    organization: Organization | None = None
    weeks: list[dict] = field(default_factory=list)
    as_of: datetime | None = None

    def rates(self, row: dict | None = None) -> dict:
        return rates_of(row if row is not None else self.totals)


def with_coverage(row: dict, coverage: dict | None) -> dict:
    coverage = coverage or {}
    row["organizations_active"] = coverage.get("organizations_active", 0)
    row["organizations_covered"] = coverage.get("organizations_covered", 0)
    return row


def subtree_figures(
    federation: Federation, period: Period, *, today: date, organization=None
) -> SubtreeFigures:
    """Totals and the breakdown by direct child federation (+ 本级直属)."""
    children = list(
        # The children of a federation the caller has checked the user may see.
        Federation.objects.unscoped()
        .filter(parent=federation)
        .order_by("path")
        .values_list("pk", "name", "path")
    )
    day = period.as_of(today)
    if organization is None:
        groups = rolled_up(federation, period)
        coverage = groups
    else:
        groups = grouped(federation, period, child_key(federation), organization=organization)
        coverage = {}
    breakdown = []
    for pk, name, path in children:
        row = with_coverage(groups.get(path, {**_empty(), "as_of": None}), coverage.get(path))
        breakdown.append({"federation": pk, "name": name, "is_direct": False, **row})
    own = with_coverage(
        groups.get(federation.path, {**_empty(), "as_of": None}), coverage.get(federation.path)
    )
    breakdown.append(
        {"federation": federation.pk, "name": federation.name, "is_direct": True, **own}
    )
    totals = {**_empty(), "as_of": None, "organizations_active": 0, "organizations_covered": 0}
    for row in breakdown:
        _merge(totals, {key: row[key] for key in ALL_KEYS})
        _merge(totals, {"as_of": row["as_of"]})
        totals["organizations_active"] += row["organizations_active"]
        totals["organizations_covered"] += row["organizations_covered"]
    for row in breakdown:
        row.pop("as_of", None)
    as_of = totals.pop("as_of")
    return SubtreeFigures(
        federation=federation,
        period=period,
        as_of_day=day,
        totals=totals,
        breakdown=breakdown,
        organization=organization,
        weeks=weekly(federation, period, organization=organization),
        as_of=as_of,
    )


def weekly(federation: Federation, period: Period, *, organization=None) -> list[dict]:
    """Per week of the period: how many required weeks were met, missed, exempt, pending."""
    counts = {monday: dict.fromkeys(WEEK_STATES, 0) for monday in period.mondays()}
    if organization is None:
        for row in (
            rollup_rows(FederationWeekFigures, federation, period)
            .order_by()
            .values("week_start")
            .annotate(**{state: _sum(state) for state in WEEK_STATES})
        ):
            week = counts.get(row.pop("week_start"))
            if week is not None:
                for state in WEEK_STATES:
                    week[state] += row[state]
        return [{"week_start": monday, **states} for monday, states in counts.items()]
    rows = (
        subtree_rows(AssignmentWeekFigures, federation, period, organization)
        .exclude(state="")
        .order_by()
        .values("week_start", "state")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        week = counts.get(row["week_start"])
        if week is not None:
            week[row["state"]] += row["n"]
    return [{"week_start": monday, **states} for monday, states in counts.items()]


def breakdown_by(federation: Federation, period: Period, *, by: str, organization=None):
    """Rows by organization (a federation without children) or by instructor (one
    organization): they add up to the totals as well, since every row has one of each."""
    field_name = {"organization": "organization_id", "instructor": "instructor_id"}[by]
    groups = grouped(federation, period, F(field_name), organization=organization)
    for row in groups.values():
        row.pop("as_of", None)
    return groups


def by_assignment(assignment_ids, period: Period) -> dict[int, dict]:
    """Each assignment's figures of the period from the summary rows (all its organizations,
    wherever they are attributed): the live figures of its quarterly report, for many reports
    at once (the roll-up)."""
    result: dict[int, dict] = {}
    ids = list(assignment_ids)
    for model, aggregates in (
        (AssignmentWeekFigures, assignment_aggregates()),
        (OrganizationWeekFigures, organization_aggregates(period)),
    ):
        rows = (
            period_rows(model, period)
            .filter(assignment_id__in=ids)
            .order_by()
            .values("assignment_id")
            .annotate(**aggregates)
        )
        for row in rows:
            target = result.setdefault(row.pop("assignment_id"), {**_empty(), "as_of": None})
            _merge(target, row)
    for row in result.values():
        row.pop("as_of", None)
    return result
