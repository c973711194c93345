"""Background work of appeals: `appeals.tick` runs every 15 minutes on the beat schedule; the
management command appeals_tick runs the same function."""

from datetime import datetime

from zhidao.celery import app

from . import services
from .public_services import purge_ip_hashes


@app.task(name="appeals.tick")
def appeals_tick(now: datetime | None = None) -> tuple[int, int]:
    escalated = services.escalate_overdue_appeals(now)
    closed = services.close_resolved_appeals(now)
    # The hashed IPs kept for abuse protection go after 30 days (SECURITY.md, PIPL); closed
    # appeals' contacts after APPEALS_CONTACT_RETENTION_DAYS (the consent text).
    purge_ip_hashes(now=now)
    services.erase_expired_contacts(now)
    return escalated, closed


@app.task(name="appeals.deadline_reminders")
def appeals_deadline_reminders(now: datetime | None = None) -> int:
    return services.send_deadline_reminders(now)


@app.task(name="appeals.rebuild_stats")
def appeals_rebuild_stats() -> int:
    """Nightly: every summary row of the statistics again (each write refreshes its own
    cells after it commits; this catches a refresh that failed)."""
    from .stats import rebuild

    return rebuild()
