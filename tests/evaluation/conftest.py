from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests import factories
from zhidao.fieldwork.models import (
    Finding,
    FindingStatus,
    OnSiteDay,
    PracticalMatter,
    PracticalMatterStatus,
    WorkRecord,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 25)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2026, 11, 25, 10, tzinfo=SHANGHAI), tick=False):
        yield


def aware(day: date) -> datetime:
    return datetime.combine(day, time(9), tzinfo=SHANGHAI)


def ended_assignment(side: dict, *, starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 29)):
    """A completed four-week term (March 2026, no public holiday) at a new organization of the
    side's union, held by a new instructor."""
    organization = factories.OrganizationFactory(federation=side["district"], union=side["union"])
    instructor = factories.InstructorFactory(federation=side["city"])
    return factories.make_assignment(
        instructor=instructor,
        organizations=[organization],
        batch=side["batch"],
        starts_on=starts_on,
        ends_on=ends_on,
        today=TODAY,
    )


def on_site(assignment, day: date):
    return OnSiteDay.objects.create(
        assignment=assignment,
        organization=assignment.organizations.first(),
        instructor=assignment.instructor,
        on_date=day,
        checked_in_at=aware(day),
        status="confirmed",
    )


def work_record(assignment, day: date):
    return WorkRecord.objects.create(
        assignment=assignment,
        organization=assignment.organizations.first(),
        instructor=assignment.instructor,
        duty="guidance",
        worked_on=day,
        content="走访职工",
        recorded_on=day,
    )


def finding(assignment, *, closed: bool, description="未建立工会经费独立账户"):
    organization = assignment.organizations.first()
    return Finding.objects.create(
        assignment=assignment,
        organization=organization,
        union=organization.union,
        category="fund_account",
        description=description,
        recommendation="尽快开设独立账户",
        found_on=date(2026, 3, 10),
        due_on=date(2026, 4, 30),
        status=FindingStatus.CLOSED if closed else FindingStatus.OPEN,
        closed_at=aware(date(2026, 3, 20)) if closed else None,
        created_by=assignment.instructor.user,
    )


def matter(assignment, *, beneficiaries: int, done: bool = True):
    return PracticalMatter.objects.create(
        assignment=assignment,
        organization=assignment.organizations.first(),
        title="建设职工健身房",
        beneficiary="workers",
        category="sports",
        beneficiaries_count=beneficiaries,
        status=PracticalMatterStatus.DONE if done else PracticalMatterStatus.IN_PROGRESS,
        completed_on=date(2026, 3, 25) if done else None,
    )


def assessment(assignment, *, kind: str, total: str, on: date):
    from zhidao.standards.models import Assessment, IndicatorSet

    indicator_set = IndicatorSet.objects.first() or IndicatorSet.objects.create(name="测试指标")
    return Assessment.objects.create(
        union=assignment.organizations.first().union,
        indicator_set=indicator_set,
        assignment=assignment,
        instructor=assignment.instructor,
        kind=kind,
        assessed_on=on,
        total_score=Decimal(total),
    )
