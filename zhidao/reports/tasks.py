from celery import shared_task

from zhidao.core.tasks import task_day

from .reminders import send_report_reminders


@shared_task(name="reports.report_reminders")
def report_reminders(today: str | None = None) -> int:
    """Daily: quarterly reports due in 3 days or overdue."""
    return send_report_reminders(today=task_day(today))
