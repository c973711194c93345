import pytest
import time_machine

from tests import factories
from zhidao.accounts.models import Role
from zhidao.appeals.public_services import submit_appeal

NAME = "王小明"
PHONE = "13912345678"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False) as traveller:
        yield traveller


@pytest.fixture
def rights_staff(world):
    user = factories.UserFactory(full_name="权益部李干事", email="rights@example.org")
    factories.grant(user, Role.RIGHTS_STAFF, federation=world["mine"]["city"])
    return user


def make_appeal(organization, *, anonymous=False, description=None, **kw):
    return submit_appeal(
        organization=organization,
        category=kw.pop("category", "wages"),
        description=description
        or f"车间拖欠三个月工资，我是{NAME}，电话{PHONE}，身份证430302199001011234。",
        anonymous=anonymous,
        name="" if anonymous else NAME,
        phone="" if anonymous else PHONE,
        consent=True,
        **kw,
    )


@pytest.fixture
def named_appeal(world):
    return make_appeal(world["mine"]["organization"])
