from datetime import date

from celery import shared_task
from django.utils import timezone

from . import reminders


def _day(today: str | None) -> date:
    """Beat passes nothing (today); a caller may name the day as ISO text (tests, catch-up)."""
    return date.fromisoformat(today) if today else timezone.localdate()


@shared_task(name="notifications.onsite_reminders")
def onsite_reminders(today: str | None = None) -> int:
    return reminders.send_onsite_reminders(today=_day(today))


@shared_task(name="notifications.report_reminders")
def report_reminders(today: str | None = None) -> int:
    return reminders.send_report_reminders(today=_day(today))


@shared_task(name="notifications.daily_digest")
def daily_digest(today: str | None = None) -> int:
    return reminders.send_daily_digests(today=_day(today))
