from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from zhidao.appeals.models import Appeal, AppealState
from zhidao.fieldwork.models import (
    Duty,
    Finding,
    FindingStatus,
    LeaveKind,
    LeaveRequest,
    LeaveStatus,
    OnSiteDay,
    OnSiteDayStatus,
    PracticalMatter,
    PracticalMatterStatus,
    WorkRecord,
)

NOW = datetime(2026, 11, 25, 10, 0)


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(timezone.make_aware(NOW), tick=False):
        yield


def aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def on_site(assignment, day: date, status=OnSiteDayStatus.CONFIRMED) -> OnSiteDay:
    return OnSiteDay.objects.create(
        assignment=assignment,
        organization=assignment.organizations.first(),
        instructor=assignment.instructor,
        on_date=day,
        checked_in_at=aware(day),
        status=status,
    )


def work_record(assignment, day: date, duty: str) -> WorkRecord:
    return WorkRecord.objects.create(
        assignment=assignment,
        organization=assignment.organizations.first(),
        instructor=assignment.instructor,
        duty=duty,
        worked_on=day,
        content="走访职工，了解诉求",
        recorded_on=day,
    )


def finding(assignment, *, opened: date, due_on: date, closed: date | None = None) -> Finding:
    organization = assignment.organizations.first()
    item = Finding.objects.create(
        assignment=assignment,
        organization=organization,
        union=organization.union,
        category="fund_account",
        description="未建立工会经费独立账户",
        recommendation="尽快开设独立账户",
        found_on=opened,
        due_on=due_on,
        status=FindingStatus.CLOSED if closed else FindingStatus.OPEN,
        closed_at=aware(closed) if closed else None,
        created_by=assignment.instructor.user,
    )
    return item


def matter(assignment, *, completed: date | None, beneficiaries: int, status=None):
    return PracticalMatter.objects.create(
        assignment=assignment,
        organization=assignment.organizations.first(),
        title="建设职工健身房",
        beneficiary="workers",
        category="sports",
        beneficiaries_count=beneficiaries,
        status=status or PracticalMatterStatus.DONE,
        completed_on=completed,
    )


def appeal(assignment, *, resolved: date | None = None, closed: date | None = None) -> Appeal:
    organization = assignment.organizations.first()
    return Appeal.objects.create(
        organization=organization,
        federation=organization.federation,
        category="wages",
        description="加班费未足额发放",
        state=AppealState.CLOSED if closed else AppealState.RESOLVED,
        resolved_at=aware(resolved) if resolved else None,
        closed_at=aware(closed) if closed else None,
    )


@pytest.fixture
def q3_records(world):
    """Records of the 湘潭 assignment in and around 2026 Q3 (1 July – 30 September)."""
    mine = world["mine"]
    a = mine["assignment"]
    for day in (date(2026, 7, 6), date(2026, 7, 7), date(2026, 7, 15), date(2026, 9, 2)):
        on_site(a, day)
    on_site(a, date(2026, 7, 22), status=OnSiteDayStatus.UNCONFIRMED)
    on_site(a, date(2026, 6, 30))  # Q2
    on_site(a, date(2026, 10, 12))  # Q4
    LeaveRequest.objects.create(
        instructor=a.instructor,
        kind=LeaveKind.LEAVE,
        starts_on=date(2026, 8, 10),
        ends_on=date(2026, 8, 14),
        reason="病假",
        status=LeaveStatus.APPROVED,
    )
    work_record(a, date(2026, 7, 6), Duty.INVESTIGATION)
    work_record(a, date(2026, 7, 15), Duty.INVESTIGATION)
    work_record(a, date(2026, 9, 2), Duty.GUIDANCE)
    work_record(a, date(2026, 6, 29), Duty.GUIDANCE)  # Q2
    finding(a, opened=date(2026, 7, 6), due_on=date(2026, 8, 6), closed=date(2026, 8, 1))
    finding(a, opened=date(2026, 7, 15), due_on=date(2026, 8, 15))  # overdue, open
    finding(a, opened=date(2026, 5, 10), due_on=date(2026, 7, 10), closed=date(2026, 7, 20))
    finding(a, opened=date(2026, 9, 20), due_on=date(2026, 12, 20))
    matter(a, completed=date(2026, 8, 20), beneficiaries=120)
    matter(a, completed=date(2026, 9, 30), beneficiaries=30)
    matter(a, completed=date(2026, 10, 2), beneficiaries=999)  # Q4
    matter(a, completed=None, beneficiaries=50, status=PracticalMatterStatus.IN_PROGRESS)
    appeal(a, resolved=date(2026, 8, 3))
    appeal(a, closed=date(2026, 9, 29))
    appeal(a, resolved=date(2026, 10, 3))  # Q4
    return mine


def quarter_days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)
