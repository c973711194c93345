"""The upward statistical report (向上级工会报送的统计表): for a federation's subtree and a quarter
or a year, one row per direct child federation plus 本级直属 plus 合计, the rows adding up, in
sections: dispatch and coverage, the on-site rule, work records, findings, practical matters,
honours, activities, exchange and appeals; with tables of practical matters by category and of
assignments by batch. Every count comes from this module: the dashboard's summary rows for what
the dashboard shows too, one grouped query each for the rest."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhidao.dispatch.models import AssignmentStatus, Batch
from zhidao.exchange.models import EventKind
from zhidao.fieldwork.models import (
    Beneficiary,
    Duty,
    PracticalMatter,
    PracticalMatterCategory,
    PracticalMatterStatus,
)
from zhidao.orgs.models import Federation
from zhidao.standards.models import ActivityKind, HonourLevel

from . import programme
from .definitions import LABELS, Rate
from .periods import Period
from .summary import active_on_q, subtree_figures


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise | str
    # A rate column: (numerator key, denominator key) or a function of the row.
    rate: tuple[str, str] | None = None
    average: tuple[str, str] | None = None  # (total key, count key)

    def value(self, row: dict):
        if self.rate:
            return Rate(row.get(self.rate[0], 0), row.get(self.rate[1], 0))
        if self.average:
            total, count = row.get(self.average[0], 0), row.get(self.average[1], 0)
            return round(total / count, 2) if count else None
        return row.get(self.key, 0)


@dataclass(frozen=True)
class Section:
    key: str
    title: Promise
    columns: tuple[Column, ...]


def _c(key: str, label=None) -> Column:
    return Column(key, label if label is not None else LABELS[key])


SECTIONS = (
    Section(
        "dispatch",
        pgettext_lazy("upward report", "Dispatch and coverage"),
        (
            Column("assignments", pgettext_lazy("upward report", "Instructors dispatched")),
            Column("assignments_running", pgettext_lazy("upward report", "Instructors on duty")),
            Column("organizations_economic", _("New economic organizations")),
            Column("covered_economic", _("of which covered")),
            Column("organizations_social", _("New social organizations")),
            Column("covered_social", _("of which covered")),
            Column(
                "coverage",
                LABELS["coverage"],
                rate=("organizations_covered", "organizations_active"),
            ),
            Column("unions", pgettext_lazy("upward report", "Grassroots unions")),
        ),
    ),
    Section(
        "onsite",
        pgettext_lazy("upward report", "On site every week"),
        (
            _c("weeks_required"),
            _c("weeks_met"),
            _c("weeks_missed"),
            _c("weeks_exempt"),
            _c("weeks_pending"),
            Column("compliance_rate", LABELS["compliance_rate"], rate=("weeks_met", "weeks_due")),
            _c("on_site_days"),
            _c("site_visits"),
            _c("days_pending"),
        ),
    ),
    Section(
        "records",
        pgettext_lazy("upward report", "Work records"),
        (
            *(_c(f"records_{duty}") for duty in Duty.values),
            _c("work_records"),
            _c("prompt_records"),
            Column(
                "prompt_record_rate",
                LABELS["prompt_record_rate"],
                rate=("prompt_records", "work_records"),
            ),
        ),
    ),
    Section(
        "findings",
        pgettext_lazy("upward report", "Findings and rectification"),
        (
            _c("findings_opened"),
            _c("findings_closed"),
            _c("findings_opened_closed"),
            Column(
                "closure_rate",
                LABELS["closure_rate"],
                rate=("findings_opened_closed", "findings_opened"),
            ),
        ),
    ),
    Section(
        "matters",
        pgettext_lazy("upward report", "Practical matters"),
        (_c("matters_done"), _c("beneficiaries_workers"), _c("beneficiaries_enterprises")),
    ),
    Section(
        "honours",
        pgettext_lazy("upward report", "Honours"),
        (
            *(Column(f"honours_{value}", label) for value, label in HonourLevel.choices),
            Column("honours", pgettext_lazy("upward report", "Honours in all")),
        ),
    ),
    Section(
        "activities",
        pgettext_lazy("upward report", "Activities"),
        (
            *(Column(f"activities_{value}", label) for value, label in ActivityKind.choices),
            Column("activities", pgettext_lazy("upward report", "Activities in all")),
            Column("activity_participants", pgettext_lazy("upward report", "Participants")),
        ),
    ),
    Section(
        "exchange",
        pgettext_lazy("upward report", "Exchange and mutual learning"),
        (
            *(Column(f"events_{value}", label) for value, label in EventKind.choices),
            Column("events", pgettext_lazy("upward report", "Events in all")),
            Column("registered", pgettext_lazy("upward report", "Registered")),
            Column(
                "registered_attended", pgettext_lazy("upward report", "Registered and signed in")
            ),
            Column("walk_ins", pgettext_lazy("upward report", "Walk-ins")),
            Column(
                "attendance_rate",
                LABELS["attendance_rate"],
                rate=("registered_attended", "registered"),
            ),
        ),
    ),
    Section(
        "appeals",
        pgettext_lazy("upward report", "Appeals"),
        (
            Column("appeals_received", pgettext_lazy("upward report", "Received")),
            Column("appeals_closed", pgettext_lazy("upward report", "Closed")),
            Column("appeals_on_time", pgettext_lazy("upward report", "Closed on time")),
            Column(
                "on_time_rate",
                pgettext_lazy("upward report", "On-time rate"),
                rate=("appeals_on_time", "appeals_closed"),
            ),
            Column("satisfaction_ratings", pgettext_lazy("upward report", "Ratings")),
            Column(
                "satisfaction",
                pgettext_lazy("upward report", "Average satisfaction (1–5)"),
                average=("satisfaction_total", "satisfaction_ratings"),
            ),
        ),
    ),
)
# Counts that are not shown as a column but that rates and averages need.
HIDDEN_KEYS = ("organizations_active", "organizations_covered", "weeks_due", "satisfaction_total")
COUNT_KEYS = tuple(
    dict.fromkeys(
        [c.key for s in SECTIONS for c in s.columns if not (c.rate or c.average)]
        + list(HIDDEN_KEYS)
    )
)


@dataclass
class UpwardReport:
    federation: Federation
    period: Period
    as_of_day: date
    prepared_at: datetime
    figures_as_of: datetime | None
    rows: list[dict]  # direct children, then 本级直属; each with "name", "federation", counts
    total: dict
    matters_by_category: list[dict] = field(default_factory=list)
    batches: list[dict] = field(default_factory=list)

    @property
    def sections(self) -> tuple[Section, ...]:
        return SECTIONS

    def all_rows(self) -> list[dict]:
        return [*self.rows, self.total]


def _category_rows(federation: Federation, period: Period) -> list[dict]:
    matters = PracticalMatter.objects.unscoped().filter(
        organization__federation__path__startswith=federation.path,
        status=PracticalMatterStatus.DONE,
        completed_on__gte=period.first,
        completed_on__lte=period.last,
    )
    counts = {
        row["category"]: row
        for row in matters.order_by()
        .values("category")
        .annotate(
            done=Count("pk"),
            workers=Coalesce(
                Sum("beneficiaries_count", filter=Q(beneficiary=Beneficiary.WORKERS)), Value(0)
            ),
            enterprises=Coalesce(
                Sum("beneficiaries_count", filter=Q(beneficiary=Beneficiary.ENTERPRISE)), Value(0)
            ),
        )
    }
    return [
        {
            "category": value,
            "label": str(label),
            "done": counts.get(value, {}).get("done", 0),
            "workers": counts.get(value, {}).get("workers", 0),
            "enterprises": counts.get(value, {}).get("enterprises", 0),
        }
        for value, label in PracticalMatterCategory.choices
    ]


def _batch_rows(federation: Federation, period: Period, day: date) -> list[dict]:
    batches = (
        Batch.objects.unscoped()
        .filter(
            federation__path__startswith=federation.path,
            starts_on__lte=period.last,
            ends_on__gte=period.first,
        )
        .annotate(
            dispatched=Count(
                "assignments",
                filter=~Q(assignments__status=AssignmentStatus.PLANNED),
                distinct=True,
            ),
            running=Count("assignments", filter=active_on_q(day, "assignments__"), distinct=True),
        )
        .select_related("federation")
        .order_by("federation__path", "starts_on", "pk")
    )
    return [
        {
            "batch": batch.name,
            "federation": batch.federation.name,
            "starts_on": batch.starts_on,
            "ends_on": batch.ends_on,
            "dispatched": batch.dispatched,
            "running": batch.running,
        }
        for batch in batches
    ]


def upward_report(federation: Federation, period: Period, *, today: date) -> UpwardReport:
    figures = subtree_figures(federation, period, today=today)
    day = figures.as_of_day
    extra: dict = {}
    for part in (
        programme.assignments_running(federation, day),
        programme.organizations_and_unions(federation, day),
        programme.honours(federation, period),
        programme.activities(federation, period),
        programme.exchange_events(federation, period),
        programme.appeals(federation, period),
    ):
        programme.merge_by_group(extra, part)
    paths = dict(Federation.objects.unscoped().filter(parent=federation).values_list("pk", "path"))
    paths[federation.pk] = federation.path
    rows = []
    for row in figures.breakdown:
        values = dict(row)
        values.update(extra.get(paths[row["federation"]], {}))
        values["weeks_due"] = values["weeks_met"] + values["weeks_missed"]
        rows.append({key: values.get(key, 0) for key in COUNT_KEYS} | _identity(row))
    total = {key: sum(row[key] for row in rows) for key in COUNT_KEYS}
    total.update({"federation": federation.pk, "name": str(_("Total")), "is_total": True})
    return UpwardReport(
        federation=federation,
        period=period,
        as_of_day=day,
        prepared_at=timezone.now(),
        figures_as_of=figures.as_of,
        rows=rows,
        total=total,
        matters_by_category=_category_rows(federation, period),
        batches=_batch_rows(federation, period, day),
    )


def _identity(row: dict) -> dict:
    return {
        "federation": row["federation"],
        "name": row["name"],
        "is_direct": row["is_direct"],
        "is_total": False,
    }
