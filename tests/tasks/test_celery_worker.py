"""A background task end to end: sent through the real Redis on 127.0.0.1:6379, run by a real
Celery worker process, writing to the same database the test reads. In CI (CI=true) a missing
Redis is a failure, never a skip."""

import time
from datetime import date, timedelta

import pytest

from tests import factories
from tests.tasks.conftest import send
from zhidao.dispatch.models import Assignment, AssignmentStatus
from zhidao.dispatch.tasks import refresh_assignment_statuses

pytestmark = pytest.mark.redis


def test_worker_runs_the_daily_status_refresh_through_redis(worker):
    instructor = factories.InstructorFactory()
    organization = factories.OrganizationFactory(federation=instructor.federation)
    today = date.today()
    started = factories.make_assignment(
        instructor=instructor,
        organizations=[organization],
        starts_on=today - timedelta(days=10),
        today=today - timedelta(days=20),  # created while still planned
    )
    assert started.status == AssignmentStatus.PLANNED

    send(refresh_assignment_statuses, queue=worker)

    # A loaded CI machine can take a while to start a worker; the task waits in Redis meanwhile.
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        status = Assignment.objects.values_list("status", flat=True).get(pk=started.pk)
        if status == AssignmentStatus.ACTIVE:
            break
        time.sleep(0.5)
    assert status == AssignmentStatus.ACTIVE
