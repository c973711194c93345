"""Reads of the holiday table. The calendar is national and public: every signed-in user
reads it."""

from django.db.models import Count, Q, QuerySet

from .models import CalendarDay, CalendarDayKind, CalendarYear


def calendar_years() -> QuerySet[CalendarYear]:
    return CalendarYear.objects.annotate(
        holiday_count=Count("days", filter=Q(days__kind=CalendarDayKind.HOLIDAY)),
        workday_count=Count("days", filter=Q(days__kind=CalendarDayKind.WORKDAY)),
    ).order_by("-year")


def days_of_year(calendar_year: CalendarYear) -> QuerySet[CalendarDay]:
    return calendar_year.days.order_by("date")
