"""The Thursday on-site reminder end to end: sent through the real Redis, run by a real worker
process, and found in the database as the instructor's notification."""

import time
from datetime import date, timedelta

import pytest

from tests import factories
from tests.tasks.conftest import send
from zhidao.fieldwork.tasks import onsite_reminders
from zhidao.notifications.models import Notification, NotificationKind

pytestmark = pytest.mark.redis
THURSDAY = date(2026, 11, 26)


def test_worker_sends_the_thursday_onsite_reminder(worker):
    instructor = factories.InstructorFactory()
    organization = factories.OrganizationFactory(federation=instructor.federation)
    factories.make_assignment(
        instructor=instructor,
        organizations=[organization],
        starts_on=THURSDAY - timedelta(days=60),
        today=THURSDAY - timedelta(days=30),
    )

    send(onsite_reminders, queue=worker, kwargs={"today": THURSDAY.isoformat()})

    deadline = time.monotonic() + 180
    found = []
    while time.monotonic() < deadline and not found:
        found = list(
            Notification.objects.filter(
                recipient=instructor.user, kind=NotificationKind.ONSITE_REMINDER
            ).values_list("cause_key", flat=True)
        )
        if not found:
            time.sleep(0.5)
    assert found and found[0].endswith(":2026-W48")
