"""Periods of FIGURES.md: quarters and years of dated facts, and the weeks that belong to them.

- A dated fact belongs to the period that holds its date.
- A week (Monday–Sunday) belongs to the quarter, year and term that hold its Thursday: the ISO
  8601 rule that also numbers it (2026-W27). Every week is counted in exactly one quarter.
- A week that straddles two quarters is split into *parts* at the quarter's first day, so that
  the dated facts of each part land in their own quarter while the week itself counts once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhidao.holidays.calendar import week_start

THURSDAY = 3
_QUARTER_KEY = re.compile(r"^\s*(\d{4})\s*-?\s*Q([1-4])\s*$", re.IGNORECASE)
_YEAR_KEY = re.compile(r"^\s*(\d{4})\s*$")


def thursday_of(day: date) -> date:
    return week_start(day) + timedelta(days=THURSDAY)


def quarter_number(day: date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_first_day(day: date) -> date:
    return date(day.year, 3 * quarter_number(day) - 2, 1)


def part_start(day: date) -> date:
    """The first day of the week part holding `day`: its Monday, or the first day of its
    quarter when the quarter begins later in that week."""
    return max(week_start(day), quarter_first_day(day))


def week_parts(monday: date) -> list[tuple[date, date]]:
    """The (first, last) days of the parts of the week: one, or two at a quarter boundary."""
    sunday = monday + timedelta(days=6)
    boundary = quarter_first_day(sunday)
    if monday < boundary:
        return [(monday, boundary - timedelta(days=1)), (boundary, sunday)]
    return [(monday, sunday)]


def mondays_between(first: date, last: date) -> list[date]:
    """Every Monday of the weeks touching [first, last]."""
    mondays = []
    monday = week_start(first)
    while monday <= last:
        mondays.append(monday)
        monday += timedelta(weeks=1)
    return mondays


@dataclass(frozen=True)
class Period:
    """A quarter, a year, or any range of days (a term), with the weeks that belong to it."""

    first: date
    last: date
    kind: str = "range"  # "quarter", "year" or "range"

    # ----- construction -----

    @classmethod
    def quarter(cls, year: int, number: int) -> Period:
        if not 1 <= number <= 4:
            raise ValueError("quarter must be 1..4")
        first = date(year, 3 * number - 2, 1)
        following = date(year + 1, 1, 1) if number == 4 else date(year, 3 * number + 1, 1)
        return cls(first, following - timedelta(days=1), "quarter")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), "year")

    @classmethod
    def quarter_of(cls, day: date) -> Period:
        return cls.quarter(day.year, quarter_number(day))

    @classmethod
    def parse(cls, text: str | None, default: Period | None = None) -> Period | None:
        """ "2026-Q3" (also 2026Q3, 2026-q3) or "2026"; anything else gives `default`."""
        text = str(text or "")
        match = _QUARTER_KEY.match(text)
        if match:
            year = int(match.group(1))
            if 2000 <= year <= 2100:
                return cls.quarter(year, int(match.group(2)))
        match = _YEAR_KEY.match(text)
        if match and 2000 <= int(match.group(1)) <= 2100:
            return cls.year(int(match.group(1)))
        return default

    # ----- what it is -----

    @property
    def year_number(self) -> int:
        return self.first.year

    @property
    def quarter_number(self) -> int | None:
        return quarter_number(self.first) if self.kind == "quarter" else None

    @property
    def key(self) -> str:
        if self.kind == "quarter":
            return f"{self.first.year}-Q{quarter_number(self.first)}"
        if self.kind == "year":
            return str(self.first.year)
        return f"{self.first.isoformat()}..{self.last.isoformat()}"

    @property
    def label(self) -> str:
        if self.kind == "quarter":
            return _("%(year)s Q%(number)s") % {
                "year": self.first.year,
                "number": quarter_number(self.first),
            }
        if self.kind == "year":
            return pgettext("period", "%(year)s") % {"year": self.first.year}
        return f"{self.first:%Y-%m-%d} – {self.last:%Y-%m-%d}"

    def contains(self, day: date) -> bool:
        return self.first <= day <= self.last

    def previous(self) -> Period:
        if self.kind == "quarter":
            return Period.quarter_of(self.first - timedelta(days=1))
        if self.kind == "year":
            return Period.year(self.first.year - 1)
        length = self.last - self.first
        return Period(self.first - length - timedelta(days=1), self.first - timedelta(days=1))

    def quarters(self) -> list[Period]:
        """The quarters of a year (or the quarter itself)."""
        if self.kind == "quarter":
            return [self]
        if self.kind == "year":
            return [Period.quarter(self.first.year, number) for number in (1, 2, 3, 4)]
        raise ValueError("a range is not made of quarters")

    def mondays(self) -> list[date]:
        """The weeks that belong to the period: those whose Thursday it holds."""
        monday = week_start(self.first)
        if monday + timedelta(days=THURSDAY) < self.first:
            monday += timedelta(weeks=1)
        weeks = []
        while monday + timedelta(days=THURSDAY) <= self.last:
            weeks.append(monday)
            monday += timedelta(weeks=1)
        return weeks

    def as_of(self, today: date) -> date:
        """The day a stock figure (coverage, active counts) is taken: the period's last day, or
        today while the period is running."""
        return min(self.last, today) if self.first <= today else self.last


def recent_quarters(today: date, count: int = 8) -> list[Period]:
    quarters = [Period.quarter_of(today)]
    while len(quarters) < count:
        quarters.append(quarters[-1].previous())
    return quarters
