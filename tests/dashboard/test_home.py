"""The home page of each role: the admin's figures, the instructor's assignments, the officer's
union and instructor, the rights-protection staff's appeals. Figures are compared with counts
computed here independently."""

import re
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from zhidao.accounts.models import Role
from zhidao.appeals.models import AppealState
from zhidao.appeals.public_services import submit_appeal
from zhidao.dispatch.models import Assignment, Instructor
from zhidao.dispatch.services import update_instructor
from zhidao.orgs.models import Organization, Union

# With the per-user cache on, as in production (tests/conftest.py).
pytestmark = pytest.mark.user_cache

HOME = reverse("core:home")
TODAY = date(2026, 6, 1)


@pytest.fixture(autouse=True)
def _on_a_working_day():
    with time_machine.travel("2026-06-01 10:00 +0800", tick=False):
        yield


def figures(html: str) -> dict[str, int]:
    found = re.findall(r'data-figure="(\w+)">([\d,]+)<', html)
    return {name: int(value.replace(",", "")) for name, value in found}


def add_more_of_everything(world, scope="mine", count=3):
    """Organizations with and without unions and instructors, idle instructors, past and
    future assignments: every figure has rows that count and rows that don't."""
    city, district = world[scope]["city"], world[scope]["district"]
    batch = world[scope]["batch"]
    for number in range(count):
        union = factories.UnionFactory(federation=district)
        covered = factories.OrganizationFactory(federation=district, union=union)
        factories.OrganizationFactory(federation=district)  # no union, no instructor
        factories.OrganizationFactory(federation=district, status="suspended")
        instructor = factories.InstructorFactory(federation=city)
        factories.make_assignment(
            instructor=instructor, organizations=[covered], batch=batch, today=TODAY
        )
        idle = factories.InstructorFactory(federation=city)
        update_instructor(instructor=idle, status="inactive")
        planned = factories.OrganizationFactory(federation=district)
        factories.make_assignment(
            instructor=instructor,
            organizations=[planned],
            batch=batch,
            starts_on=date(2026, 9, 1 + number),
            today=TODAY,
        )


def expected_figures(city) -> dict[str, int]:
    prefix = city.path
    organizations = Organization.objects.filter(federation__path__startswith=prefix)
    covered_today = Assignment.objects.filter(
        status="active", starts_on__lte=TODAY, ends_on__gte=TODAY
    ).values("organizations")
    return {
        "organizations": organizations.count(),
        "unions": Union.objects.filter(federation__path__startswith=prefix).count(),
        "instructors": Instructor.objects.filter(
            federation__path__startswith=prefix, status="active"
        ).count(),
        "active_assignments": Assignment.objects.filter(
            batch__federation__path__startswith=prefix, status="active"
        ).count(),
        "without_instructor": organizations.filter(status="active")
        .exclude(pk__in=covered_today)
        .count(),
    }


def test_admin_figures_equal_independent_counts(client, world):
    add_more_of_everything(world)
    add_more_of_everything(world, scope="other", count=2)
    client.force_login(world["mine"]["admin"])
    shown = figures(client.get(HOME).content.decode())
    expected = expected_figures(world["mine"]["city"])
    assert shown == expected
    # The data above makes each figure differ from the trivial answer.
    assert expected["organizations"] > expected["without_instructor"] > 0
    assert expected["instructors"] < Instructor.objects.count()


def test_leader_sees_the_same_figures_as_the_admin(client, world):
    add_more_of_everything(world, count=1)
    client.force_login(world["mine"]["leader"])
    assert figures(client.get(HOME).content.decode()) == expected_figures(world["mine"]["city"])


@pytest.fixture
def rights_staff(world):
    user = factories.UserFactory(full_name="权益部刘干事")
    factories.grant(user, Role.RIGHTS_STAFF, federation=world["mine"]["city"])
    return user


def add_appeal(organization, *, submitted: str = "2026-06-01 09:00 +0800"):
    with time_machine.travel(submitted, tick=False):
        return submit_appeal(
            organization=organization,
            category="wages",
            description="车间拖欠两个月工资，请工会帮忙。",
            anonymous=True,
            consent=True,
        )


def test_rights_staff_home_shows_the_appeals_of_its_subtree_to_handle(client, world, rights_staff):
    add_appeal(world["mine"]["organization"])  # today: waiting to be accepted, not late
    add_appeal(world["mine"]["organization"], submitted="2026-05-20 09:00 +0800")  # late
    done = add_appeal(world["mine"]["organization"])
    done.state = AppealState.CLOSED
    done.save(update_fields=["state"])
    add_appeal(world["other"]["organization"])  # another city: not theirs
    client.force_login(rights_staff)
    html = client.get(HOME).content.decode()
    assert "尚未分配角色" not in html
    assert "待受理的新诉求" in html
    counts = dict(re.findall(r'data-item="(\w+)" data-count="(\d+)"', html))
    assert counts == {"appeals_new": "2", "appeals_overdue": "1", "appeals_open": "2"}
    assert 'data-figure="organizations"' not in html
    assert visible_latin_words(html) == set()


def test_rights_staff_home_query_count_does_not_grow_with_appeals(client, world, rights_staff):
    add_appeal(world["mine"]["organization"])
    client.force_login(rights_staff)
    client.get(HOME)
    small = count_home_queries(client)
    for _ in range(5):
        add_appeal(world["mine"]["organization"])
    assert count_home_queries(client) == small


def count_home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["admin", "instructor_user", "officer"])
def test_home_query_count_does_not_grow_with_data(client, world, role):
    client.force_login(world["mine"][role])
    client.get(HOME)
    small = count_home_queries(client)
    add_more_of_everything(world, count=6)
    # More organizations for the officer's union and more assignments for the instructor.
    instructor = world["mine"]["instructor"]
    union = world["mine"]["union"]
    for _ in range(5):
        organization = factories.OrganizationFactory(
            federation=world["mine"]["district"], union=union
        )
        factories.make_assignment(
            instructor=instructor,
            organizations=[organization],
            batch=world["mine"]["batch"],
            today=TODAY,
        )
    assert count_home_queries(client) == small


def test_instructor_home_shows_its_own_assignments_only(client, world):
    colleague = factories.InstructorFactory(name="湘潭同事", federation=world["mine"]["city"])
    elsewhere = factories.OrganizationFactory(
        name="湘潭同事负责的公司", federation=world["mine"]["district"]
    )
    factories.make_assignment(
        instructor=colleague, organizations=[elsewhere], batch=world["mine"]["batch"]
    )
    client.force_login(world["mine"]["instructor_user"])
    html = client.get(HOME).content.decode()
    assert "我的派驻" in html
    assert world["mine"]["organization"].name in html
    assert "湘潭同事负责的公司" not in html
    assert world["other"]["organization"].name not in html
    assert 'data-figure="organizations"' not in html


def test_union_officer_home_shows_its_union_and_instructor_with_a_masked_phone(client, world):
    client.force_login(world["mine"]["officer"])
    html = client.get(HOME).content.decode()
    assert world["mine"]["union"].name in html
    assert world["mine"]["instructor"].name in html
    assert "138****1234" in html
    assert "13812341234" not in html
    assert world["other"]["union"].name not in html
    assert world["other"]["instructor"].name not in html


def test_user_without_a_role_is_told_to_ask_the_administrator(client, db):
    client.force_login(factories.UserFactory())
    assert "尚未分配角色" in client.get(HOME).content.decode()


_ALLOWED_LATIN = {"English", "Excel"}


def visible_latin_words(html: str) -> set[str]:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", body)
    return set(re.findall(r"[A-Za-z]{3,}", text)) - _ALLOWED_LATIN


@pytest.mark.parametrize("role", ["admin", "leader", "instructor_user", "officer"])
def test_home_page_shows_no_english_to_a_chinese_user(client, world, role):
    client.force_login(world["mine"][role])
    assert visible_latin_words(client.get(HOME).content.decode()) == set()


def test_login_and_lockout_pages_show_no_english(client, db):
    login = reverse("accounts:login")
    assert visible_latin_words(client.get(login).content.decode()) == set()
    for _ in range(5):
        response = client.post(login, {"username": "nobody", "password": "Wrong#1234"})
    assert response.status_code == 429
    assert visible_latin_words(response.content.decode()) == set()
