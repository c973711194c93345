"""Property-based: random worlds (federation trees, assignments spanning districts, several
organizations on one day, holidays, leave approved late, back-dated findings) and, for every
quarter of 2026 and the year:

- the breakdown rows add up to the totals for every additive key, at every level;
- the dashboard's totals equal the sum of the quarterly reports' live figures;
- a handful of figures equal an independent count made here in plain Python from the world's
  own description (not from the code under test).
"""

import os
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import chinese_calendar
import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories
from zhidao.dispatch.models import AssignmentStatus
from zhidao.fieldwork.models import (
    Finding,
    FindingStatus,
    LeaveRequest,
    LeaveStatus,
    OnSiteDay,
    PracticalMatter,
    WorkRecord,
)
from zhidao.figures.definitions import ADDITIVE_KEYS, EXTRA_ADDITIVE_KEYS
from zhidao.figures.live import assignment_figures
from zhidao.figures.periods import Period
from zhidao.figures.refresh import rebuild
from zhidao.figures.summary import by_assignment, subtree_figures
from zhidao.holidays.models import CalendarDay, CalendarDayKind, CalendarYear
from zhidao.reports.figures import live_counts

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 1)
FIRST = date(2026, 1, 1)
KEYS = ADDITIVE_KEYS + EXTRA_ADDITIVE_KEYS
PERIODS = [Period.quarter(2026, n) for n in (1, 2, 3, 4)] + [Period.year(2026)]
PROMPT_DAYS = 3


@dataclass
class World:
    """What the test built, in its own terms: the independent counts read only this."""

    terms: dict = field(default_factory=dict)  # assignment id → (start, effective end, min days)
    visits: list = field(default_factory=list)  # (assignment, organization, day, status)
    records: list = field(default_factory=list)  # (assignment, worked_on, recorded_on)
    findings: list = field(default_factory=list)  # (assignment, found_on, closed_on)
    matters: list = field(default_factory=list)  # (assignment, completed_on, for whom, n)
    leave: dict = field(default_factory=lambda: defaultdict(list))  # assignment → [(from, to)]
    extra_holidays: set = field(default_factory=set)


days_2026 = st.integers(min_value=0, max_value=(TODAY - FIRST).days).map(
    lambda offset: FIRST + timedelta(days=offset)
)


@st.composite
def worlds(draw):
    return {
        "districts": draw(st.integers(min_value=1, max_value=3)),
        "organizations": draw(
            st.lists(st.integers(min_value=0, max_value=3), min_size=2, max_size=6)
        ),  # the federation of each: 0 = the city itself, n = district n (if it exists)
        "assignments": draw(
            st.lists(
                st.tuples(
                    days_2026,  # start (any weekday)
                    st.integers(min_value=20, max_value=330),  # length in days
                    st.integers(min_value=1, max_value=2),  # min days per week
                    st.booleans(),  # ended early
                    st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=3),
                ),
                min_size=1,
                max_size=3,
            )
        ),
        "seed": draw(st.integers(min_value=0, max_value=10_000)),
        "holidays": draw(st.lists(days_2026, max_size=3)),
    }


def _aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def build(spec) -> World:
    import random

    rng = random.Random(spec["seed"])
    world = World()
    city = factories.make_federation(name="湘潭市总工会")
    districts = [
        factories.make_federation(name=f"第{n}区总工会", level="district", parent=city)
        for n in range(1, spec["districts"] + 1)
    ]
    homes = [city, *districts]
    organizations = []
    for where in spec["organizations"]:
        federation = homes[where] if where < len(homes) else city
        union = factories.UnionFactory(federation=federation)
        organizations.append(factories.OrganizationFactory(federation=federation, union=union))
    batch = factories.BatchFactory(federation=city)
    for day in spec["holidays"]:
        if not CalendarDay.objects.filter(date=day).exists():
            CalendarDay.objects.create(
                date=day,
                kind=CalendarDayKind.HOLIDAY,
                name="测试假日",
                calendar_year=CalendarYear.objects.get(year=2026),
            )
            world.extra_holidays.add(day)
    for start, length, min_days, ended_early, picks in spec["assignments"]:
        chosen = list(dict.fromkeys(organizations[i % len(organizations)] for i in picks))
        instructor = factories.InstructorFactory(federation=city)
        end = start + timedelta(days=length)
        assignment = factories.make_assignment(
            instructor=instructor,
            organizations=chosen,
            batch=batch,
            starts_on=start,
            ends_on=end,
            min_days_per_week=min_days,
            today=TODAY,
        )
        effective_end = end
        if ended_early and end > start + timedelta(days=10):
            effective_end = start + timedelta(days=length // 2)
            assignment.status = AssignmentStatus.ENDED_EARLY
            assignment.ended_on = effective_end
            assignment.end_reason = "调离"
            assignment.save()
        world.terms[assignment.pk] = (start, effective_end, min_days)
        last = min(effective_end, TODAY)
        span = (last - start).days
        if span < 0:
            continue
        for _ in range(rng.randint(0, 25)):
            day = start + timedelta(days=rng.randint(0, span))
            organization = rng.choice(chosen)
            status = rng.choice(["confirmed", "confirmed", "unconfirmed", "disputed"])
            if any(v[:3] == (assignment.pk, organization.pk, day) for v in world.visits):
                continue
            OnSiteDay.objects.create(
                assignment=assignment,
                organization=organization,
                instructor=instructor,
                on_date=day,
                checked_in_at=_aware(day),
                status=status,
            )
            world.visits.append((assignment.pk, organization.pk, day, status))
        for _ in range(rng.randint(0, 12)):
            worked = start + timedelta(days=rng.randint(0, span))
            recorded = min(worked + timedelta(days=rng.choice([0, 1, 3, 4, 9])), TODAY)
            WorkRecord.objects.create(
                assignment=assignment,
                organization=rng.choice(chosen),
                instructor=instructor,
                duty=rng.choice(["investigation", "guidance", "practical_matter", "other"]),
                worked_on=worked,
                recorded_on=recorded,
                is_late=(recorded - worked).days > PROMPT_DAYS,
                content="走访",
            )
            world.records.append((assignment.pk, worked, recorded))
        for _ in range(rng.randint(0, 4)):
            found = start + timedelta(days=rng.randint(0, span))
            closed = None
            if rng.random() < 0.5:
                closed = min(found + timedelta(days=rng.randint(0, 120)), TODAY)
            Finding.objects.create(
                assignment=assignment,
                organization=rng.choice(chosen),
                category="rules",
                description="制度不健全",
                recommendation="建立制度",
                found_on=found,
                due_on=found + timedelta(days=30),
                status=FindingStatus.CLOSED if closed else FindingStatus.OPEN,
                closed_at=_aware(closed, 15) if closed else None,
                created_by=instructor.user,
            )
            world.findings.append((assignment.pk, found, closed))
        for _ in range(rng.randint(0, 3)):
            completed = start + timedelta(days=rng.randint(0, span))
            beneficiary = rng.choice(["workers", "enterprise"])
            count = rng.randint(1, 300) if beneficiary == "workers" else 1
            PracticalMatter.objects.create(
                assignment=assignment,
                organization=rng.choice(chosen),
                title="职工书屋",
                beneficiary=beneficiary,
                category="other",
                beneficiaries_count=count,
                status="done",
                completed_on=completed,
            )
            world.matters.append((assignment.pk, completed, beneficiary, count))
        if rng.random() < 0.5:
            leave_from = start + timedelta(days=rng.randint(0, span))
            leave_to = leave_from + timedelta(days=rng.randint(0, 16))
            decided = leave_to + timedelta(days=rng.choice([-3, 10]))  # 补报 when after
            LeaveRequest.objects.create(
                instructor=instructor,
                kind="leave",
                starts_on=leave_from,
                ends_on=leave_to,
                reason="病假",
                status=LeaveStatus.APPROVED,
                decided_at=_aware(min(decided, TODAY)),
            )
            world.leave[assignment.pk].append((leave_from, leave_to))
    return world


# ----- the independent counts (plain Python over the World) -----


def _working(day: date, world: World) -> bool:
    return chinese_calendar.is_workday(day) and day not in world.extra_holidays


def expected(world: World, period: Period) -> dict:
    current_monday = TODAY - timedelta(days=TODAY.weekday())
    counts = defaultdict(int)
    confirmed_days = {(a, d) for a, _o, d, s in world.visits if s == "confirmed"}
    for assignment, (start, end, min_days) in world.terms.items():
        monday = period.first - timedelta(days=period.first.weekday())
        while monday <= period.last:
            thursday = monday + timedelta(days=3)
            if period.contains(thursday) and start <= thursday <= end:
                if monday > current_monday:
                    break
                week = [monday + timedelta(days=n) for n in range(7)]
                owed = [d for d in week if start <= d <= end and _working(d, world)]
                met = sum((assignment, d) in confirmed_days for d in week) >= min_days
                covered = all(any(a <= d <= b for a, b in world.leave[assignment]) for d in owed)
                if met:
                    counts["weeks_met"] += 1
                elif not owed or covered:
                    counts["weeks_exempt"] += 1
                elif monday == current_monday:
                    counts["weeks_pending"] += 1
                else:
                    counts["weeks_missed"] += 1
            monday += timedelta(weeks=1)
    counts["on_site_days"] = len({(a, d) for a, d in confirmed_days if period.contains(d)})
    counts["site_visits"] = sum(
        1 for _a, _o, d, s in world.visits if s == "confirmed" and period.contains(d)
    )
    in_period = [(w, r) for _a, w, r in world.records if period.contains(w)]
    counts["work_records"] = len(in_period)
    counts["prompt_records"] = sum(1 for w, r in in_period if (r - w).days <= PROMPT_DAYS)
    counts["findings_opened"] = sum(1 for _a, f, _c in world.findings if period.contains(f))
    counts["findings_closed"] = sum(
        1 for _a, _f, c in world.findings if c is not None and period.contains(c)
    )
    done = [(b, n) for _a, c, b, n in world.matters if period.contains(c)]
    counts["matters_done"] = len(done)
    counts["beneficiaries_workers"] = sum(n for b, n in done if b == "workers")
    counts["beneficiaries_enterprises"] = sum(n for b, n in done if b == "enterprise")
    return counts


CHECKED = (
    "weeks_met",
    "weeks_missed",
    "weeks_exempt",
    "weeks_pending",
    "on_site_days",
    "site_visits",
    "work_records",
    "prompt_records",
    "findings_opened",
    "findings_closed",
    "matters_done",
    "beneficiaries_workers",
    "beneficiaries_enterprises",
)


@settings(
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "20")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=worlds())
def test_figures_add_up_agree_with_the_reports_and_with_an_independent_count(spec):
    with time_machine.travel(_aware(TODAY, 12), tick=False), transaction.atomic():
        world = build(spec)
        rebuild(today=TODAY)
        from zhidao.orgs.models import Federation

        city = Federation.objects.get(name="湘潭市总工会")
        assignments = list(city.batches.get().assignments.all())
        for period in PERIODS:
            figures = subtree_figures(city, period, today=TODAY)
            for key in KEYS:
                assert sum(row[key] for row in figures.breakdown) == figures.totals[key], key
            for row in figures.breakdown:
                if row["is_direct"]:
                    continue
                child = Federation.objects.get(pk=row["federation"])
                below = subtree_figures(child, period, today=TODAY).totals
                assert all(below[key] == row[key] for key in KEYS)
            live = defaultdict(int)
            for assignment in assignments:
                if period.kind == "quarter":
                    counts = live_counts(
                        assignment, period.year_number, period.quarter_number, today=TODAY
                    )
                else:
                    counts = assignment_figures(assignment, period, today=TODAY)
                for key in KEYS:
                    live[key] += counts[key]
            assert {key: figures.totals[key] for key in KEYS} == {key: live[key] for key in KEYS}
            mine = expected(world, period)
            assert {key: figures.totals[key] for key in CHECKED} == {
                key: mine[key] for key in CHECKED
            }, period.key
            summed = defaultdict(int)
            for counts in by_assignment([a.pk for a in assignments], period).values():
                for key in KEYS:
                    summed[key] += counts[key]
            assert all(summed[key] == figures.totals[key] for key in KEYS)
        transaction.set_rollback(True)
