from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from .aggregates import NIGHTLY_DAYS, refresh_dashboard_aggregates


@shared_task(name="dashboard.refresh_aggregates_nightly")
def refresh_aggregates_nightly() -> int:
    """Nightly: rebuild the dashboard's summary rows of the last year (late records, closures)."""
    today = timezone.localdate()
    return refresh_dashboard_aggregates(since=today - timedelta(days=NIGHTLY_DAYS), today=today)


@shared_task(name="dashboard.refresh_aggregates_current_week")
def refresh_aggregates_current_week() -> int:
    """Hourly: rebuild the current week's summary rows."""
    today = timezone.localdate()
    return refresh_dashboard_aggregates(since=today, today=today)
