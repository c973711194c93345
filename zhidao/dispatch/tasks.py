from celery import shared_task

from . import services


@shared_task(name="dispatch.refresh_assignment_statuses")
def refresh_assignment_statuses() -> int:
    """Daily: planned → active → completed as the dates pass (idempotent)."""
    return services.refresh_assignment_statuses()
