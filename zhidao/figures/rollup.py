"""The federations' roll-up rows (FederationPeriodFigures, FederationWeekFigures): the summary
rows of each federation summed per quarter and year, with its coverage, so that the dashboard of
a province reads at most one row per federation and period instead of every assignment-week.

A (federation, year) is the unit of recomputation: its four quarters, the year and its weeks are
computed again from the summary rows, in a few grouped queries for many cells at once. The
federations are locked first, so that two refreshes touching the same federation write their
roll-ups one after the other, the second seeing the first's rows (READ COMMITTED)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from zhidao.dispatch.models import AssignmentOrganization
from zhidao.orgs.models import Federation, Organization, OrganizationStatus

from .definitions import WEEK_STATES
from .facts import aware_range
from .models import (
    AssignmentWeekFigures,
    FederationPeriodFigures,
    FederationWeekFigures,
    OrganizationWeekFigures,
)
from .periods import Period

YEAR = 0  # the `quarter` of a year's row
QUARTERS = (1, 2, 3, 4)
FIELDS = tuple(
    field.name
    for field in FederationPeriodFigures._meta.concrete_fields
    if field.name
    not in ("id", "federation", "federation_path", "year", "quarter", "refreshed_at", "computed_at")
)


def _periods(year: int, today: date) -> list[tuple[int, Period]]:
    """The quarters of the year that have begun, and the year itself (if it has begun)."""
    periods = [
        (number, Period.quarter(year, number))
        for number in QUARTERS
        if Period.quarter(year, number).first <= today
    ]
    if periods:
        periods.append((YEAR, Period.year(year)))
    return periods


def _aggregates(period_kind: str):
    # Imported here: summary.py reads the roll-up rows this module writes.
    from .summary import assignment_aggregates, organization_aggregates

    placeholder = Period.year(2000) if period_kind == "year" else Period.quarter(2000, 1)
    return assignment_aggregates(), organization_aggregates(placeholder)


def _sums(paths: list[str], years: list[int]) -> dict[tuple[int, int, int], dict]:
    """(federation, year, quarter or 0) → the sums of its summary rows."""
    from .summary import _empty as empty
    from .summary import _merge as merge

    cells: dict[tuple[int, int, int], dict] = {}
    base = {"federation_path__in": paths, "year__in": years, "quarter__in": QUARTERS}
    for kind, by in (("quarter", ("federation_id", "year", "quarter")), ("year", None)):
        assignment, organization = _aggregates(kind)
        for model, aggregates in (
            (AssignmentWeekFigures, assignment),
            (OrganizationWeekFigures, organization),
        ):
            group = by or ("federation_id", "year")
            rows = model.objects.filter(**base).order_by().values(*group).annotate(**aggregates)
            for row in rows:
                key = (row.pop("federation_id"), row.pop("year"), row.pop("quarter", YEAR))
                merge(cells.setdefault(key, {**empty(), "as_of": None}), row)
    return cells


def _coverage(
    federation_ids: list[int], periods: dict[tuple[int, int], Period], today: date
) -> dict[tuple[int, int, int], tuple[int, int]]:
    """(federation, year, quarter or 0) → (active organizations, covered ones) on each period's
    day (FIGURES.md "coverage"): one grouped query for the active ones and one for the covered."""
    from .summary import active_on_q

    days = {key: period.as_of(today) for key, period in periods.items()}
    ends = {key: aware_range(day, day)[1] for key, day in days.items()}

    def name(prefix: str, key: tuple[int, int]) -> str:
        return f"{prefix}_{key[0]}_{key[1]}"

    active = (
        Organization.objects.unscoped()
        .filter(federation_id__in=federation_ids, status=OrganizationStatus.ACTIVE)
        .order_by()
        .values("federation_id")
        .annotate(
            **{
                name("a", key): Count("pk", filter=Q(created_at__lt=end))
                for key, end in ends.items()
            }
        )
    )
    covered = (
        AssignmentOrganization.objects.filter(
            organization__federation_id__in=federation_ids,
            organization__status=OrganizationStatus.ACTIVE,
        )
        .order_by()
        .values("organization__federation_id")
        .annotate(
            **{
                name("c", key): Count(
                    "organization_id",
                    distinct=True,
                    filter=active_on_q(days[key], "assignment__")
                    & Q(organization__created_at__lt=ends[key]),
                )
                for key in ends
            }
        )
    )
    result: dict[tuple[int, int, int], tuple[int, int]] = {}
    counts: dict[int, dict] = {row.pop("federation_id"): row for row in active}
    links: dict[int, dict] = {row.pop("organization__federation_id"): row for row in covered}
    for federation_id in federation_ids:
        for key in ends:
            result[(federation_id, *key)] = (
                counts.get(federation_id, {}).get(name("a", key), 0),
                links.get(federation_id, {}).get(name("c", key), 0),
            )
    return result


def recompute(cells: Iterable[tuple[int, int]], *, today: date | None = None) -> int:
    """Recompute the roll-up rows of these (federation id, year) cells; returns rows written."""
    today = today or timezone.localdate()
    cells = {(federation_id, year) for federation_id, year in cells if year <= today.year}
    if not cells:
        return 0
    federation_ids = sorted({federation_id for federation_id, _year in cells})
    years = sorted({year for _federation_id, year in cells})
    with transaction.atomic():
        paths = dict(
            # Lock in id order: refreshes of the same federations roll up one after another.
            Federation.objects.unscoped()
            .select_for_update()
            .filter(pk__in=federation_ids)
            .order_by("pk")
            .values_list("pk", "path")
        )
        periods = {
            (year, number): period for year in years for number, period in _periods(year, today)
        }
        sums = _sums(list(paths.values()), years)
        coverage = _coverage(list(paths), periods, today)
        weeks = (
            AssignmentWeekFigures.objects.filter(
                federation_path__in=list(paths.values()), year__in=years, quarter__in=QUARTERS
            )
            .exclude(state="")
            .order_by()
            .values("federation_id", "year", "quarter", "week_start", "state")
            .annotate(n=Count("pk"))
        )
        now = timezone.now()
        rows = []
        for federation_id, path in paths.items():
            for year, quarter in periods:
                if (federation_id, year) not in cells:
                    continue
                values = dict(sums.get((federation_id, year, quarter), {}))
                refreshed_at: datetime | None = values.pop("as_of", None)
                active, covered = coverage[(federation_id, year, quarter)]
                row = FederationPeriodFigures(
                    federation_id=federation_id,
                    federation_path=path,
                    year=year,
                    quarter=quarter,
                    refreshed_at=refreshed_at,
                    computed_at=now,
                    organizations_active=active,
                    organizations_covered=covered,
                )
                for field_name in FIELDS:
                    if field_name in values:
                        setattr(row, field_name, values[field_name] or 0)
                rows.append(row)
        week_rows: dict[tuple, FederationWeekFigures] = {}
        for row in weeks:
            if (row["federation_id"], row["year"]) not in cells:
                continue
            key = (row["federation_id"], row["year"], row["quarter"], row["week_start"])
            week = week_rows.get(key)
            if week is None:
                week = week_rows[key] = FederationWeekFigures(
                    federation_id=row["federation_id"],
                    federation_path=paths[row["federation_id"]],
                    year=row["year"],
                    quarter=row["quarter"],
                    week_start=row["week_start"],
                )
            if row["state"] in WEEK_STATES:
                setattr(week, row["state"], row["n"])
        cell_q = Q()
        for federation_id, year in cells:
            cell_q |= Q(federation_id=federation_id, year=year)
        for model in (FederationPeriodFigures, FederationWeekFigures):
            model.objects.filter(cell_q).delete()
        FederationPeriodFigures.objects.bulk_create(rows, batch_size=1000)
        FederationWeekFigures.objects.bulk_create(week_rows.values(), batch_size=1000)
    return len(rows) + len(week_rows)


def federation_years(federation_ids: Iterable[int], *, today: date | None = None) -> set:
    """Every (federation, year) the federations have rows for, and the current year."""
    today = today or timezone.localdate()
    ids = set(federation_ids)
    cells = {(federation_id, today.year) for federation_id in ids}
    for model in (AssignmentWeekFigures, OrganizationWeekFigures):
        cells.update(
            model.objects.filter(federation_id__in=ids)
            .order_by()
            .values_list("federation_id", "year")
            .distinct()
        )
    return cells


def recompute_all(*, today: date | None = None, years: Iterable[int] | None = None) -> int:
    """Every federation for the given years (default: every year with rows, and this one)."""
    today = today or timezone.localdate()
    if years is None:
        years = set(
            AssignmentWeekFigures.objects.order_by().values_list("year", flat=True).distinct()
        )
        years.add(today.year)
    federation_ids = list(Federation.objects.unscoped().values_list("pk", flat=True))
    written = 0
    for year in sorted(years):
        written += recompute({(pk, year) for pk in federation_ids}, today=today)
    return written
