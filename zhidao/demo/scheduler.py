"""The task schedule (CELERY_BEAT_SCHEDULE) run from a thread of the serving process, for the
demo: with CELERY_TASK_ALWAYS_EAGER each due task runs right there, no broker needed."""

from pathlib import Path

from celery.beat import EmbeddedService

from zhidao.celery import app


def start_scheduler(schedule_file: Path, *, schedule: dict | None = None):
    """Start the scheduler thread; `schedule` replaces the configured one (tests)."""
    schedule_file.parent.mkdir(parents=True, exist_ok=True)
    if schedule is not None:
        app.conf.beat_schedule = schedule
    service = EmbeddedService(app, thread=True, schedule_filename=str(schedule_file))
    service.daemon = True
    service.start()
    return service
