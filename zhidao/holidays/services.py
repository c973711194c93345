"""Writes to the holiday table: a federation admin enters a year the package does not cover."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zhidao.accounts.scope import scope_of
from zhidao.core.scoping import unguarded_call, use_case

from .models import CalendarDay, CalendarDayKind, CalendarYear, CalendarYearSource

DATE = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
LINE = re.compile(rf"^{DATE}(?:\s*(?:至|到|~|～|—|–|--|-)\s*{DATE})?\s*(.*)$")
# A long holiday lasts at most about nine days; a longer range is almost surely a typo.
LONGEST_RANGE_DAYS = 31


@dataclass(frozen=True)
class DayEntry:
    day: date
    name: str


def _date(parts: Sequence[str]) -> date | None:
    try:
        return date(*(int(part) for part in parts))
    except ValueError:
        return None


@unguarded_call
def parse_day_lines(text: str, *, default_name: str = "") -> list[DayEntry]:
    """One date or date range per line, optionally followed by a name:
    "2027-02-06 至 2027-02-13 春节", "2027-02-14 调休上班". Every bad line is reported."""
    entries: list[DayEntry] = []
    errors: list[str] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = LINE.match(line)
        if not match:
            errors.append(
                _('Line %(number)s: "%(line)s" does not start with a date such as 2027-02-06.')
                % {"number": number, "line": line}
            )
            continue
        first = _date(match.group(1, 2, 3))
        last = _date(match.group(4, 5, 6)) if match.group(4) else first
        if first is None or last is None:
            errors.append(
                _('Line %(number)s: "%(line)s" contains a date that does not exist.')
                % {"number": number, "line": line}
            )
            continue
        if last < first:
            errors.append(
                _("Line %(number)s: the range ends before it starts.") % {"number": number}
            )
            continue
        if (last - first).days >= LONGEST_RANGE_DAYS:
            errors.append(
                _("Line %(number)s: a range may span at most %(days)s days.")
                % {"number": number, "days": LONGEST_RANGE_DAYS}
            )
            continue
        name = (match.group(7) or "").strip()[:50] or default_name
        day = first
        while day <= last:
            entries.append(DayEntry(day, name))
            day += timedelta(days=1)
    if errors:
        raise ValidationError(errors)
    return entries


@unguarded_call
def can_edit_calendar(user) -> bool:
    scope = scope_of(user)
    return scope.is_superuser or scope.is_federation_admin


@use_case
def create_manual_year(
    *, actor, year: int, holidays: list[DayEntry], workdays: list[DayEntry]
) -> CalendarYear:
    """Record a year's official arrangement typed in by a federation admin."""
    if not can_edit_calendar(actor):
        raise PermissionDenied(_("Only a federation administrator may add a calendar year."))
    errors: dict[str, list[str]] = {}
    if CalendarYear.objects.filter(year=year).exists():
        errors.setdefault("year", []).append(
            _("The calendar of %(year)s is already recorded.") % {"year": year}
        )
    for field, entries in (("holidays", holidays), ("workdays", workdays)):
        outside = sorted({entry.day for entry in entries if entry.day.year != year})
        if outside:
            errors.setdefault(field, []).append(
                _("%(dates)s: every date must lie in %(year)s.")
                % {"dates": "、".join(f"{day:%Y-%m-%d}" for day in outside[:5]), "year": year}
            )
    weekdays_worked = sorted({entry.day for entry in workdays if entry.day.weekday() < 5})
    if weekdays_worked:
        errors.setdefault("workdays", []).append(
            _(
                "%(dates)s: an adjusted working day is a Saturday or Sunday that is worked; "
                "a weekday is a working day anyway."
            )
            % {"dates": "、".join(f"{day:%Y-%m-%d}" for day in weekdays_worked[:5])}
        )
    both = sorted({entry.day for entry in holidays} & {entry.day for entry in workdays})
    if both:
        errors.setdefault("workdays", []).append(
            _("%(dates)s: a day cannot be both a holiday and a working day.")
            % {"dates": "、".join(f"{day:%Y-%m-%d}" for day in both[:5])}
        )
    if errors:
        raise ValidationError(errors)
    calendar_year = CalendarYear(year=year, source=CalendarYearSource.MANUAL)
    calendar_year.full_clean()
    try:
        with transaction.atomic():
            calendar_year.save()
    except IntegrityError as error:
        raise ValidationError(
            {"year": _("The calendar of %(year)s is already recorded.") % {"year": year}}
        ) from error
    rows = {}
    for kind, entries in ((CalendarDayKind.HOLIDAY, holidays), (CalendarDayKind.WORKDAY, workdays)):
        for entry in entries:
            rows[entry.day] = CalendarDay(
                date=entry.day, kind=kind, name=entry.name, calendar_year=calendar_year
            )
    CalendarDay.objects.bulk_create(rows[day] for day in sorted(rows))
    return calendar_year
