"""Helpers of the apps' Celery tasks."""

from datetime import date

from django.utils import timezone


def task_day(today: str | None) -> date:
    """Beat passes nothing (today); a caller may name the day as ISO text (tests, catch-up)."""
    return date.fromisoformat(today) if today else timezone.localdate()
