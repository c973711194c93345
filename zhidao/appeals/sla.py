"""Service levels of an appeal, counted in working days of the holiday calendar.

An appeal received on day D must be accepted within 1 working day, answered for the first time
within 3 and resolved (or escalated) within 15 (settings APPEALS_*_WORKING_DAYS; a federation may
set its own). "Within n working days" means by the end of the n-th working day after the day of
receipt, so an appeal that arrives on a Saturday or during 国庆 starts counting on the next working
day, and a 调休 Saturday counts like any weekday.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone

from zhidao.holidays.calendar import add_working_days, working_days_between


@dataclass(frozen=True)
class SlaDays:
    accept: int
    first_answer: int
    resolve: int


@dataclass(frozen=True)
class Deadlines:
    """The last day on which each step is still on time."""

    accept_due: date
    first_answer_due: date
    resolve_due: date

    def as_fields(self) -> dict[str, date]:
        return {
            "accept_due": self.accept_due,
            "first_answer_due": self.first_answer_due,
            "resolve_due": self.resolve_due,
        }


def default_sla_days() -> SlaDays:
    return SlaDays(
        accept=settings.APPEALS_ACCEPT_WORKING_DAYS,
        first_answer=settings.APPEALS_FIRST_ANSWER_WORKING_DAYS,
        resolve=settings.APPEALS_RESOLVE_WORKING_DAYS,
    )


def settings_for(federation):
    """The AppealSettings row of the federation or of its nearest ancestor that has one."""
    if federation is None:
        return None
    from .models import AppealSettings

    path = federation.path
    prefixes = [path[:end] for end in range(5, len(path) + 1, 5)]
    return (
        AppealSettings.objects.filter(federation__path__in=prefixes)
        .order_by("-federation__depth")
        .select_related("federation")
        .first()
    )


def sla_days_for(federation=None) -> SlaDays:
    """The federation's own service levels, else those of its nearest ancestor that has them,
    else the defaults from settings."""
    own = settings_for(federation)
    if own is None:
        return default_sla_days()
    return SlaDays(
        accept=own.accept_days, first_answer=own.first_answer_days, resolve=own.resolve_days
    )


def auto_close_days_for(federation=None) -> int:
    own = settings_for(federation)
    return own.auto_close_days if own is not None else settings.APPEALS_AUTO_CLOSE_DAYS


def rights_department_for(federation=None) -> str:
    own = settings_for(federation)
    return own.rights_department if own is not None else "权益保障部"


def received_day(received_at: datetime | date) -> date:
    if isinstance(received_at, datetime):
        return timezone.localdate(received_at)
    return received_at


def compute_deadlines(received_at: datetime | date, *, federation=None) -> Deadlines:
    """Deadlines of an appeal received at `received_at` (the other steps' clocks all start at
    receipt, so a late acceptance does not extend the time to resolve)."""
    days = sla_days_for(federation)
    start = received_day(received_at)
    return Deadlines(
        accept_due=add_working_days(start, days.accept),
        first_answer_due=add_working_days(start, days.first_answer),
        resolve_due=add_working_days(start, days.resolve),
    )


def is_overdue(due: date | None, *, today: date, done: bool = False) -> bool:
    """A step is overdue the day after its last day, until it is done."""
    return due is not None and not done and today > due


def working_days_late(due: date, *, today: date) -> int:
    return working_days_between(due, today)
