from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from zhidao.fieldwork.models import LeaveRequest, OnSiteDay, OnSiteDayStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")


def on_site_day(assignment, on_date: date, status=OnSiteDayStatus.CONFIRMED, organization=None):
    organization = organization or assignment.organizations.first()
    return OnSiteDay.objects.create(
        assignment=assignment,
        organization=organization,
        instructor=assignment.instructor,
        on_date=on_date,
        checked_in_at=datetime.combine(on_date, time(9), tzinfo=SHANGHAI),
        status=status,
    )


def leave(instructor, starts_on: date, ends_on: date, status="approved", kind="leave"):
    return LeaveRequest.objects.create(
        instructor=instructor,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        reason="培训",
        status=status,
    )
