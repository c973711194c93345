from celery.schedules import crontab
from django.conf import settings

from zhidao.celery import app


def _appeals_entries() -> dict[str, dict]:
    return {
        entry["task"]: entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"].startswith("appeals.")
    }


def test_beat_schedule_names_registered_appeals_tasks():
    app.loader.import_default_modules()

    entries = _appeals_entries()

    # The tick (escalation, closing), the day-before deadline reminders and the nightly rebuild
    # of the statistics' summary rows, each scheduled once.
    assert set(entries) == {"appeals.tick", "appeals.deadline_reminders", "appeals.rebuild_stats"}
    assert all(task in app.tasks for task in entries)


def test_appeals_tick_runs_every_fifteen_minutes():
    entry = _appeals_entries()["appeals.tick"]

    assert entry["schedule"] == crontab(minute="*/15")
    assert entry["schedule"].minute == {0, 15, 30, 45}


def test_the_tick_also_erases_ip_hashes_older_than_30_days(world):
    from datetime import timedelta

    from django.utils import timezone

    from zhidao.appeals.public_services import submit_appeal
    from zhidao.appeals.tasks import appeals_tick

    appeal = submit_appeal(
        organization=world["mine"]["organization"],
        category="wages",
        description="工资拖欠",
        anonymous=True,
        ip="10.0.0.1",
    )
    assert appeal.ip_hash
    appeals_tick(now=timezone.now() + timedelta(days=29))
    appeal.refresh_from_db()
    assert appeal.ip_hash
    appeals_tick(now=timezone.now() + timedelta(days=31))
    appeal.refresh_from_db()
    assert appeal.ip_hash is None
