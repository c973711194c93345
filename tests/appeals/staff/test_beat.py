from celery.schedules import crontab
from django.conf import settings

from zhidao.celery import app


def _appeals_entries() -> list[dict]:
    return [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"].startswith("appeals.")
    ]


def test_beat_schedule_names_the_registered_appeals_tick_task():
    app.loader.import_default_modules()

    [entry] = _appeals_entries()

    assert entry["task"] == "appeals.tick"
    assert entry["task"] in app.tasks


def test_appeals_tick_runs_every_fifteen_minutes():
    [entry] = _appeals_entries()

    assert entry["schedule"] == crontab(minute="*/15")
    assert entry["schedule"].minute == {0, 15, 30, 45}
