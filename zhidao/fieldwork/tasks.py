from celery import shared_task

from zhidao.core.tasks import task_day

from .compliance.reminders import send_onsite_reminders


@shared_task(name="fieldwork.onsite_reminders")
def onsite_reminders(today: str | None = None) -> int:
    """Thursday: remind instructors with no confirmed on-site day yet this week."""
    return send_onsite_reminders(today=task_day(today))
