"""Working days from the holiday table.

A day is a working day when it is Monday–Friday and not a public holiday, or when it is a weekend
day worked in exchange (调休). A year without a CalendarYear row is unknown: its days follow the
plain Monday–Friday rule and callers can mark the result "calendar missing".

Everything here reads the table through `WorkingCalendar`, which loads one bounded date range in
two queries; the module-level helpers build one for the range they need.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from .models import CalendarDay, CalendarDayKind, CalendarYear

WEEK = timedelta(days=7)


def week_start(day: date) -> date:
    """The Monday of the ISO week holding the day."""
    return day - timedelta(days=day.weekday())


def iso_week_start(year: int, week: int) -> date:
    return date.fromisocalendar(year, week, 1)


def days_between(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


@dataclass(frozen=True)
class WeekExemption:
    """Why a whole week needs no on-site day, as far as the calendar knows."""

    is_public_holiday: bool  # every Monday–Friday is a holiday and no 调休 day falls in it
    calendar_missing: bool  # a day of the week lies in a year without calendar data
    holiday_names: tuple[str, ...] = ()


class WorkingCalendar:
    """The holiday table between two dates, loaded once."""

    def __init__(self, first: date, last: date) -> None:
        self.first = first
        self.last = last
        self.holidays: dict[date, str] = {}
        self.workdays: dict[date, str] = {}
        for day, kind, name in CalendarDay.objects.filter(
            date__gte=first, date__lte=last
        ).values_list("date", "kind", "name"):
            target = self.holidays if kind == CalendarDayKind.HOLIDAY else self.workdays
            target[day] = name
        self.known_years = set(
            CalendarYear.objects.filter(year__gte=first.year, year__lte=last.year).values_list(
                "year", flat=True
            )
        )

    def is_known(self, day: date) -> bool:
        return day.year in self.known_years

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def working_days(self, first: date, last: date) -> list[date]:
        return [day for day in days_between(first, last) if self.is_working_day(day)]

    def week(self, monday: date) -> WeekExemption:
        days = [monday + timedelta(days=offset) for offset in range(7)]
        weekdays_off = all(day in self.holidays for day in days[:5])
        any_workday = any(day in self.workdays for day in days)
        names = tuple(dict.fromkeys(self.holidays[day] for day in days if day in self.holidays))
        return WeekExemption(
            is_public_holiday=weekdays_off and not any_workday,
            calendar_missing=not all(self.is_known(day) for day in days),
            holiday_names=names,
        )


def is_working_day(day: date) -> bool:
    return WorkingCalendar(day, day).is_working_day(day)


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end ≤ start): the number of
    working days an SLA counted from `start` has used by `end`."""
    if end <= start:
        return 0
    first = start + timedelta(days=1)
    return len(WorkingCalendar(first, end).working_days(first, end))


def add_working_days(start: date, n: int) -> date:
    """The date `n` working days after `start` (a deadline counted in working days)."""
    if n < 0:
        raise ValueError("n must not be negative")
    if n == 0:
        return start
    # Long holidays are at most about 9 days in a row, so twice n plus a fortnight reaches far
    # enough nearly always; the loop extends the window when it does not.
    span = 2 * n + 14
    first = start + timedelta(days=1)
    counted = 0
    while True:
        last = first + timedelta(days=span - 1)
        calendar = WorkingCalendar(first, last)
        for day in days_between(first, last):
            if calendar.is_working_day(day):
                counted += 1
                if counted == n:
                    return day
        first = last + timedelta(days=1)


def week_exemption(year: int, week: int) -> WeekExemption:
    """The calendar's view of ISO week `week` of ISO year `year`."""
    monday = iso_week_start(year, week)
    return WorkingCalendar(monday, monday + timedelta(days=6)).week(monday)
