"""Reads of the federation dashboard (工会看板).

Everything comes from the summary rows (WeeklyFigures) of the chosen quarter's weeks, plus one
coverage count over the organizations, the names of what the breakdown shows and, when the
quarterly reports exist, one count of reports by status: a fixed number of queries, bounded by the
quarter, never by the years of history.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.apps import apps
from django.core.exceptions import FieldError
from django.db.models import Count, Q
from django.http import Http404

from zhidao.accounts.scope import scope_of
from zhidao.dispatch.models import Instructor
from zhidao.fieldwork.models import Duty
from zhidao.holidays.calendar import week_start
from zhidao.orgs.models import Federation, Organization
from zhidao.orgs.selectors import federations_visible_to, has_active_assignment_q

STATES = ("met", "missed", "exempt", "pending")


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def of(cls, day: date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, text: str, default: "Quarter") -> "Quarter":
        try:
            year, number = str(text).upper().split("-Q")
            quarter = cls(int(year), int(number))
        except ValueError:
            return default
        return quarter if 1 <= quarter.number <= 4 and 2000 <= quarter.year <= 2100 else default

    @property
    def key(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> date:
        if self.number == 4:
            return date(self.year, 12, 31)
        return date(self.year, 3 * self.number + 1, 1) - timedelta(days=1)

    def previous(self) -> "Quarter":
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    def mondays(self) -> list[date]:
        """The ISO weeks whose Monday falls in the quarter."""
        monday = week_start(self.first_day)
        if monday < self.first_day:
            monday += timedelta(weeks=1)
        weeks = []
        while monday <= self.last_day:
            weeks.append(monday)
            monday += timedelta(weeks=1)
        return weeks


def recent_quarters(today: date, count: int = 8) -> list[Quarter]:
    quarters = [Quarter.of(today)]
    while len(quarters) < count:
        quarters.append(quarters[-1].previous())
    return quarters


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


def _rate(part: int, whole: int) -> int | None:
    return round(part * 100 / whole) if whole else None


class _Tally:
    def __init__(self):
        self.weeks = {state: set() for state in STATES}
        self.records = defaultdict(int)
        self.matters = self.beneficiaries = self.opened = self.closed = self.days = 0
        self.organizations = set()

    def add(self, row):
        self.weeks.setdefault(row["state"], set()).add((row["assignment_id"], row["week_start"]))
        for duty, count in (row["work_records_by_duty"] or {}).items():
            self.records[duty] += count
        self.matters += row["matters_done"]
        self.beneficiaries += row["beneficiaries"]
        self.opened += row["findings_opened"]
        self.closed += row["findings_closed"]
        self.days += row["confirmed_days"]
        self.organizations.add(row["organization_id"])

    def as_dict(self) -> dict:
        counts = {state: len(self.weeks.get(state, ())) for state in STATES}
        return {
            "met": counts["met"],
            "missed": counts["missed"],
            "exempt": counts["exempt"],
            "pending": counts["pending"],
            "compliance_rate": _rate(counts["met"], counts["met"] + counts["missed"]),
            "confirmed_days": self.days,
            "work_records": sum(self.records.values()),
            "matters_done": self.matters,
            "beneficiaries": self.beneficiaries,
            "findings_opened": self.opened,
            "findings_closed": self.closed,
            "closure_rate": _rate(self.closed, self.opened),
            "organizations": len(self.organizations),
        }


def _quarterly_report_model():
    if not apps.is_installed("zhidao.reports"):
        return None
    try:
        from zhidao.reports.models import QuarterlyReport
    except ImportError:
        return None
    return QuarterlyReport


def report_status(assignment_ids: set[int], quarter: Quarter) -> dict | None:
    """Reports of the quarter by status, or None while the quarterly report model is missing."""
    model = _quarterly_report_model()
    if model is None:
        return None
    try:
        rows = (
            model.objects.filter(
                assignment_id__in=assignment_ids, year=quarter.year, quarter=quarter.number
            )
            .order_by()
            .values("status")
            .annotate(n=Count("pk"))
        )
        counts = {row["status"]: row["n"] for row in rows}
    except (FieldError, ValueError, TypeError):
        return None
    started = sum(counts.values())
    labels = dict(model._meta.get_field("status").choices or ())
    return {
        "expected": len(assignment_ids),
        "by_status": {str(labels.get(key, key)): n for key, n in counts.items()},
        "not_started": max(len(assignment_ids) - started, 0),
    }


def coverage(user, federation: Federation, *, today: date) -> dict:
    figures = Organization.objects.filter(
        federation__path__startswith=federation.path, status="active"
    ).aggregate(
        active=Count("pk"),
        covered=Count("pk", filter=Q(has_active_assignment_q(today))),
    )
    figures["rate"] = _rate(figures["covered"], figures["active"])
    return figures


def federation_dashboard(
    user, *, federation: Federation, quarter: Quarter, today: date, organization=None
) -> dict:
    """Every figure of the dashboard for the federation's subtree (or one organization)."""
    mondays = quarter.mondays()
    rows = _quarter_rows(federation, mondays, organization)
    total = _Tally()
    by_week = {monday: _Tally() for monday in mondays}
    for row in rows:
        total.add(row)
        by_week[row["week_start"]].add(row)
    breakdown = _breakdown(federation, rows, organization)
    assignment_ids = {row["assignment_id"] for row in rows}
    totals = total.as_dict()
    return {
        "federation": federation,
        "organization": organization,
        "quarter": quarter,
        "coverage": coverage(user, federation, today=today) if organization is None else None,
        "totals": totals,
        "weeks": [
            {"week_start": monday, "label": f"{monday:%m-%d}", **by_week[monday].as_dict()}
            for monday in mondays
        ],
        "by_duty": [
            {"duty": value, "label": str(label), "count": total.records.get(value, 0)}
            for value, label in Duty.choices
        ],
        "breakdown": breakdown,
        "reports": report_status(assignment_ids, quarter),
    }


def _quarter_rows(federation, mondays, organization) -> list[dict]:
    from .models import WeeklyFigures

    rows = WeeklyFigures.objects.filter(
        federation_path__startswith=federation.path,
        week_start__gte=mondays[0],
        week_start__lte=mondays[-1],
    )
    if organization is not None:
        rows = rows.filter(organization=organization)
    return list(
        rows.values(
            "federation_path",
            "organization_id",
            "assignment_id",
            "instructor_id",
            "week_start",
            "state",
            "confirmed_days",
            "work_records_by_duty",
            "matters_done",
            "beneficiaries",
            "findings_opened",
            "findings_closed",
        )
    )


def _breakdown(federation: Federation, rows: list[dict], organization) -> dict:
    """Drill-down one level: child federations, else organizations, else instructors."""
    groups: dict = defaultdict(_Tally)
    if organization is not None:
        for row in rows:
            groups[row["instructor_id"]].add(row)
        names = dict(Instructor.objects.filter(pk__in=groups).values_list("pk", "name"))
        level = "instructor"
    else:
        children = list(
            Federation.objects.filter(parent=federation)
            .order_by("path")
            .values_list("pk", "name", "path")
        )
        if children:
            level = "district"
            names = {pk: name for pk, name, _path in children}
            names[federation.pk] = federation.name
            for row in rows:
                key = next(
                    (pk for pk, _n, path in children if row["federation_path"].startswith(path)),
                    federation.pk,
                )
                groups[key].add(row)
            for pk, _n, _path in children:
                groups[pk]  # noqa: B018 - every district is listed, also one with no rows
        else:
            level = "organization"
            for row in rows:
                groups[row["organization_id"]].add(row)
            names = dict(Organization.objects.filter(pk__in=groups).values_list("pk", "name"))
    items = [
        {"pk": pk, "name": names.get(pk, ""), **tally.as_dict()} for pk, tally in groups.items()
    ]
    items.sort(key=lambda item: (item["pk"] == federation.pk, item["name"]))
    return {"level": level, "rows": items}
