import uuid
from datetime import date

import pytest
import time_machine

from zhidao.fieldwork import services
from zhidao.fieldwork.models import Duty, FindingCategory
from zhidao.fieldwork.records import services as records_services

# The demo's today: a Wednesday.
TODAY = date(2026, 11, 25)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        yield


def make_record(side: dict, *, worked_on: date = TODAY, **kwargs):
    return services.create_work_record(
        actor=side["instructor_user"],
        client_uuid=kwargs.pop("client_uuid", uuid.uuid4()),
        assignment_id=side["assignment"].pk,
        organization_id=side["organization"].pk,
        duty=kwargs.pop("duty", Duty.INVESTIGATION),
        worked_on=worked_on,
        content=kwargs.pop("content", "走访一线职工，了解工会经费使用情况"),
        **kwargs,
    ).record


def make_finding(side: dict, *, due_on: date = date(2026, 12, 31), **kwargs):
    return records_services.open_finding(
        actor=side["instructor_user"],
        assignment_id=side["assignment"].pk,
        organization_id=side["organization"].pk,
        category=kwargs.pop("category", FindingCategory.FUND_ACCOUNT),
        description=kwargs.pop("description", "未设立工会经费独立账户"),
        recommendation=kwargs.pop("recommendation", "年内到银行开设独立账户"),
        due_on=due_on,
        **kwargs,
    )


def make_matter(side: dict, **kwargs):
    fields = {
        "title": "职工食堂改造",
        "beneficiary": "workers",
        "category": "canteen",
        "beneficiaries_count": 120,
        "status": "done",
    }
    fields.update(kwargs)
    return records_services.create_practical_matter(
        actor=side["instructor_user"],
        assignment_id=side["assignment"].pk,
        organization_id=side["organization"].pk,
        **fields,
    )
