from celery import shared_task
from django.utils import timezone

from . import reminders


@shared_task(name="notifications.onsite_reminders")
def onsite_reminders() -> int:
    return reminders.send_onsite_reminders(today=timezone.localdate())


@shared_task(name="notifications.report_reminders")
def report_reminders() -> int:
    return reminders.send_report_reminders(today=timezone.localdate())


@shared_task(name="notifications.daily_digest")
def daily_digest() -> int:
    return reminders.send_daily_digests(today=timezone.localdate())
