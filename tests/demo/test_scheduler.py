"""The demo's background work runs in the serving process: the schedule's tasks fire from a
thread and run eagerly, with no broker."""

import time
from datetime import datetime

import pytest
from django.db import connections
from django.utils import timezone

from tests import factories
from zhidao.celery import app
from zhidao.demo.scheduler import start_scheduler
from zhidao.fieldwork.models import OnSiteDay
from zhidao.figures.models import AssignmentWeekFigures


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_thread_runs_the_figures_refresh(tmp_path, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    city = factories.make_federation(name="湘潭市总工会")
    organization = factories.OrganizationFactory(federation=city)
    instructor = factories.InstructorFactory(federation=city)
    today = timezone.localdate()
    assignment = factories.make_assignment(
        instructor=instructor, organizations=[organization], starts_on=today, today=today
    )
    OnSiteDay.objects.bulk_create(  # no signal: only the scheduled refresh can see it
        [
            OnSiteDay(
                assignment=assignment,
                organization=organization,
                instructor=instructor,
                on_date=today,
                checked_in_at=timezone.make_aware(datetime.combine(today, datetime.min.time())),
                status="confirmed",
            )
        ]
    )
    AssignmentWeekFigures.objects.all().delete()
    schedule = {"every-second": {"task": "figures.refresh_recent", "schedule": 1.0}}
    configured = app.conf.beat_schedule
    scheduler = start_scheduler(tmp_path / "beat-schedule", schedule=schedule)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if AssignmentWeekFigures.objects.filter(assignment=assignment, on_site_days=1).exists():
                break
            time.sleep(0.2)
        assert AssignmentWeekFigures.objects.filter(assignment=assignment, on_site_days=1).exists()
    finally:
        scheduler.stop()
        scheduler.join(timeout=5)
        app.conf.beat_schedule = configured
        connections.close_all()
