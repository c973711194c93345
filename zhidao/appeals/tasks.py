"""Background work of appeals. `appeals_tick` is a Celery task so the reporting issue can put it
on the beat schedule; the management command appeals_tick runs the same function."""

from datetime import datetime

from zhidao.celery import app

from . import services


@app.task(name="appeals.tick")
def appeals_tick(now: datetime | None = None) -> tuple[int, int]:
    escalated = services.escalate_overdue_appeals(now)
    closed = services.close_resolved_appeals(now)
    return escalated, closed
