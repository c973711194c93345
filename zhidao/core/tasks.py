"""Helpers of the apps' Celery tasks."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from zhidao.core import partitions


def task_day(today: str | None) -> date:
    """Beat passes nothing (today); a caller may name the day as ISO text (tests, catch-up)."""
    return date.fromisoformat(today) if today else timezone.localdate()


@shared_task(name="core.create_partitions_ahead")
def create_partitions_ahead(today: str | None = None) -> list[str]:
    """Next year's partitions of the history tables, made well before its first row (beat runs
    it monthly; it is idempotent and does nothing on SQLite)."""
    return partitions.create_partitions_ahead(today=task_day(today))
