"""The programme's other figures, each attributed to one federation (FIGURES.md "attribution")
and grouped by any expression over that federation's path (a direct child, or one row):
assignments running on a day, organizations and unions, honours, activities, exchange events with
their attendance, and appeals. Aggregated in the database, one query each. The reads are
unscoped on purpose: the caller has checked that the user may see the federation's subtree."""

from __future__ import annotations

from datetime import date

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Substr

from zhidao.appeals.models import Appeal
from zhidao.dispatch.models import Assignment, AssignmentOrganization, AssignmentStatus
from zhidao.exchange.models import Attendance, Event, EventKind, Registration
from zhidao.orgs.models import (
    PATH_STEP,
    Federation,
    Organization,
    OrganizationKind,
    OrganizationStatus,
    Union,
    UnionStatus,
)
from zhidao.standards.models import Activity, ActivityKind, Honour, HonourLevel

from .facts import aware_range
from .periods import Period
from .summary import active_on_q

KINDS = {
    OrganizationKind.NEW_ECONOMIC: "economic",
    OrganizationKind.NEW_SOCIAL: "social",
}


def child_of(federation: Federation, path_field: str):
    """The direct child's path holding a row (the federation's own path for its own rows)."""
    return Substr(path_field, 1, len(federation.path) + PATH_STEP + 1)


def _grouped(queryset: QuerySet, federation: Federation, path_field: str, **aggregates) -> dict:
    rows = (
        queryset.filter(**{f"{path_field}__startswith": federation.path})
        .annotate(group=child_of(federation, path_field))
        .order_by()
        .values("group")
        .annotate(**aggregates)
    )
    return {row.pop("group"): row for row in rows}


def merge_by_group(target: dict, rows: dict) -> None:
    for group, values in rows.items():
        target.setdefault(group, {}).update(values)


def assignments_running(federation: Federation, day: date) -> dict:
    """Assignments running on the day (在岗), attributed by their primary organization."""
    primary_path = Subquery(
        AssignmentOrganization.objects.filter(assignment=OuterRef("pk"))
        .order_by("id")
        .values("organization__federation__path")[:1]
    )
    queryset = (
        Assignment.objects.unscoped()
        .exclude(status=AssignmentStatus.PLANNED)
        .filter(active_on_q(day))
        .annotate(primary_path=primary_path)
    )
    return _grouped(queryset, federation, "primary_path", assignments_running=Count("pk"))


def organizations_and_unions(federation: Federation, day: date) -> dict:
    """Active organizations existing on the day, by kind, and those covered by an assignment
    running that day (coverage); active unions existing that day."""
    _start, end = aware_range(day, day)
    counts = {}
    covered = {}
    for kind, name in KINDS.items():
        counts[f"organizations_{name}"] = Count("pk", filter=Q(kind=kind))
        covered[f"covered_{name}"] = Count(
            "organization_id", distinct=True, filter=Q(organization__kind=kind)
        )
    result: dict = {}
    merge_by_group(
        result,
        _grouped(
            Organization.objects.unscoped().filter(
                status=OrganizationStatus.ACTIVE, created_at__lt=end
            ),
            federation,
            "federation__path",
            **counts,
        ),
    )
    # Covered ones are found from the assignments running that day, never by a subquery per
    # organization of the subtree.
    merge_by_group(
        result,
        _grouped(
            AssignmentOrganization.objects.filter(
                active_on_q(day, "assignment__"),
                organization__status=OrganizationStatus.ACTIVE,
                organization__created_at__lt=end,
            ),
            federation,
            "organization__federation__path",
            **covered,
        ),
    )
    for row in result.values():
        for key in covered:
            row.setdefault(key, 0)
    merge_by_group(
        result,
        _grouped(
            Union.objects.unscoped().filter(status=UnionStatus.ACTIVE, created_at__lt=end),
            federation,
            "federation__path",
            unions=Count("pk"),
        ),
    )
    return result


def honours(federation: Federation, period: Period) -> dict:
    aggregates = {
        f"honours_{level}": Count("pk", filter=Q(level=level)) for level in HonourLevel.values
    }
    aggregates["honours"] = Count("pk")
    return _grouped(
        Honour.objects.unscoped().filter(awarded_on__gte=period.first, awarded_on__lte=period.last),
        federation,
        "union__federation__path",
        **aggregates,
    )


def activities(federation: Federation, period: Period) -> dict:
    aggregates = {
        f"activities_{kind}": Count("pk", filter=Q(kind=kind)) for kind in ActivityKind.values
    }
    aggregates["activities"] = Count("pk")
    aggregates["activity_participants"] = Coalesce(Sum("participant_count"), Value(0))
    return _grouped(
        Activity.objects.unscoped().filter(held_on__gte=period.first, held_on__lte=period.last),
        federation,
        "union__federation__path",
        **aggregates,
    )


def exchange_events(federation: Federation, period: Period) -> dict:
    """Events held in the period by kind, and their attendance: registered participants who
    signed in / registered participants (never above 100 %); sign-ins without a registration
    are walk-ins, counted apart."""
    signed_in = Attendance.objects.filter(event=OuterRef("event"), user=OuterRef("user"))
    registered = Registration.objects.filter(event=OuterRef("event"), user=OuterRef("user"))
    held = Q(held_on__gte=period.first, held_on__lte=period.last)
    events = Event.objects.unscoped().filter(held)
    aggregates = {f"events_{kind}": Count("pk", filter=Q(kind=kind)) for kind in EventKind.values}
    aggregates["events"] = Count("pk")
    result: dict = {}
    merge_by_group(result, _grouped(events, federation, "federation__path", **aggregates))
    merge_by_group(
        result,
        _grouped(
            Registration.objects.filter(event__in=events.values("pk")).annotate(
                attended=Exists(signed_in)
            ),
            federation,
            "event__federation__path",
            registered=Count("pk"),
            registered_attended=Count("pk", filter=Q(attended=True)),
        ),
    )
    merge_by_group(
        result,
        _grouped(
            Attendance.objects.filter(event__in=events.values("pk")).annotate(
                was_registered=Exists(registered)
            ),
            federation,
            "event__federation__path",
            walk_ins=Count("pk", filter=Q(was_registered=False)),
        ),
    )
    return result


def appeals(federation: Federation, period: Period) -> dict:
    """Received by the day received; closed by the day closed; on time = closed in the period
    and resolved (or closed) by its resolve-by date; satisfaction of those closed in it."""
    start, end = aware_range(period.first, period.last)
    result: dict = {}
    merge_by_group(
        result,
        _grouped(
            Appeal.objects.unscoped().filter(created_at__gte=start, created_at__lt=end),
            federation,
            "organization__federation__path",
            appeals_received=Count("pk"),
        ),
    )
    closed = (
        Appeal.objects.unscoped()
        .filter(closed_at__gte=start, closed_at__lt=end)
        .annotate(handled_at=Coalesce("resolved_at", "closed_at"))
    )
    merge_by_group(
        result,
        _grouped(
            closed,
            federation,
            "organization__federation__path",
            appeals_closed=Count("pk"),
            appeals_on_time=Count(
                "pk", filter=Q(resolve_due__isnull=False, handled_at__date__lte=F("resolve_due"))
            ),
            satisfaction_ratings=Count("satisfaction"),
            satisfaction_total=Coalesce(Sum("satisfaction"), Value(0)),
        ),
    )
    return result


def attendance_by_federation(federations: QuerySet[Federation]) -> list[dict]:
    """The exchange statistics page: per federation (each its own events, not its subtree's):
    events held, registrations, registered participants who signed in, walk-ins."""
    signed_in = Attendance.objects.filter(event=OuterRef("event"), user=OuterRef("user"))
    registered = Registration.objects.filter(event=OuterRef("event"), user=OuterRef("user"))
    ids = list(federations.values_list("pk", flat=True))
    events = dict(
        Event.objects.unscoped()
        .filter(federation_id__in=ids)
        .order_by()
        .values("federation_id")
        .annotate(n=Count("pk"))
        .values_list("federation_id", "n")
    )
    registrations = {
        row["event__federation_id"]: row
        for row in Registration.objects.filter(event__federation_id__in=ids)
        .annotate(attended=Exists(signed_in))
        .order_by()
        .values("event__federation_id")
        .annotate(registered=Count("pk"), registered_attended=Count("pk", filter=Q(attended=True)))
    }
    walk_ins = dict(
        Attendance.objects.filter(event__federation_id__in=ids)
        .annotate(was_registered=Exists(registered))
        .filter(was_registered=False)
        .order_by()
        .values("event__federation_id")
        .annotate(n=Count("pk"))
        .values_list("event__federation_id", "n")
    )
    rows = []
    for federation in federations.filter(pk__in=list(events)).order_by("path"):
        counts = registrations.get(federation.pk, {})
        rows.append(
            {
                "federation": federation,
                "events": events[federation.pk],
                "registered": counts.get("registered", 0),
                "registered_attended": counts.get("registered_attended", 0),
                "walk_ins": walk_ins.get(federation.pk, 0),
            }
        )
    return rows
