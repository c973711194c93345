import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from zhidao.fieldwork import services

# The demo's "today": Wednesday 2026-11-25 (ISO week 2026-W48), mid-morning in Xiangtan.
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(NOW, tick=False)


def client_for(user, *, enforce_csrf=False) -> Client:
    client = Client(enforce_csrf_checks=enforce_csrf)
    client.force_login(user)
    return client


def place(world, side="mine") -> str:
    return f"{world[side]['assignment'].pk}:{world[side]['organization'].pk}"


def check_in(world, side="mine"):
    return services.check_in(
        actor=world[side]["instructor_user"],
        client_uuid=uuid.uuid4(),
        assignment_id=world[side]["assignment"].pk,
        organization_id=world[side]["organization"].pk,
    ).record
