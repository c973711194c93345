from celery import shared_task

from zhidao.core.tasks import task_day

from .digest import send_daily_digests


@shared_task(name="dashboard.daily_digest")
def daily_digest(today: str | None = None) -> int:
    """Daily: each federation admin's digest of what the subtree owes."""
    return send_daily_digests(today=task_day(today))
