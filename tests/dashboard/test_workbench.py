"""The workbench (工作台): each role's to-do items on the home page and in `GET /api/workbench/`,
counted in the user's scope. Every count is compared with a count written here on the factory
data, and with the rows of the list the item links to."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from tests import factories
from zhidao.accounts.models import Role
from zhidao.appeals.models import OPEN_STATES, Appeal, AppealState
from zhidao.appeals.public_services import submit_appeal
from zhidao.core import usercache
from zhidao.core.pagination import KeysetPage
from zhidao.fieldwork.models import Finding, LeaveRequest, OnSiteDay
from zhidao.imports.models import ImportJob
from zhidao.reports.models import QuarterlyReport, ReportStatus

# With the per-user cache on, as in production (tests/conftest.py).
pytestmark = pytest.mark.user_cache

HOME = reverse("core:home")
API = "/api/workbench/"
TODAY = date(2026, 6, 1)  # a Monday
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _on_a_working_day():
    with time_machine.travel("2026-06-01 10:00 +0800", tick=False):
        yield


# ----- the data -----


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def add_day(assignment, organization, on_date: date, status="unconfirmed", *, out=True):
    return OnSiteDay.objects.create(
        assignment=assignment,
        organization=organization,
        instructor=assignment.instructor,
        on_date=on_date,
        checked_in_at=at(on_date),
        checked_out_at=at(on_date, 17) if out else None,
        status=status,
    )


def add_finding(assignment, organization, status="open", *, due_on=TODAY + timedelta(days=7)):
    return Finding.objects.create(
        assignment=assignment,
        organization=organization,
        union=organization.union,
        category="rules",
        description="制度不健全",
        recommendation="建立工会制度",
        found_on=date(2026, 5, 1),
        due_on=due_on,
        status=status,
        created_by=assignment.instructor.user,
    )


def add_report(assignment, year, quarter, status, due_on):
    return QuarterlyReport.objects.create(
        assignment=assignment, year=year, quarter=quarter, status=status, due_on=due_on
    )


def add_leave(instructor, status="pending", starts_on=date(2026, 6, 8)):
    return LeaveRequest.objects.create(
        instructor=instructor,
        kind="leave",
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=2),
        reason="家中有事",
        status=status,
    )


def add_appeal(organization, *, submitted="2026-06-01 09:00 +0800", state=None, assigned=None):
    with time_machine.travel(submitted, tick=False):
        appeal = submit_appeal(
            organization=organization,
            category="wages",
            description="车间拖欠两个月工资，请工会帮忙。",
            anonymous=True,
            consent=True,
        )
    changes = {}
    if state:
        changes["state"] = state
    if assigned:
        changes["assigned_instructor"] = assigned
    if changes:
        Appeal.objects.filter(pk=appeal.pk).update(**changes)
    return appeal


def add_import(federation, status="checked", *, error_rows=0):
    return ImportJob.objects.create(
        kind="federations",
        created_by=factories.UserFactory(),
        federation=federation,
        file="imports/2026/06/federations.xlsx",
        file_name="工会名单.xlsx",
        status=status,
        total_rows=12,
        error_rows=error_rows,
    )


def fill(part, *, scale=1):
    """Rows of every state for one city: those each item counts and those it must not."""
    assignment, organization = part["assignment"], part["organization"]
    start = date(2026, 3, 2) + timedelta(days=7 * (scale - 1) * 3)
    for offset in range(scale):
        base = start + timedelta(days=offset * 10)
        add_day(assignment, organization, base, "unconfirmed")
        add_day(assignment, organization, base + timedelta(days=1), "unconfirmed")
        add_day(assignment, organization, base + timedelta(days=2), "confirmed")
        add_day(assignment, organization, base + timedelta(days=3), "disputed")
        add_finding(assignment, organization, "open")
        add_finding(assignment, organization, "open", due_on=TODAY - timedelta(days=3))
        add_finding(assignment, organization, "reopened")
        add_finding(assignment, organization, "answered", due_on=TODAY + timedelta(days=2))
        add_finding(assignment, organization, "answered", due_on=TODAY - timedelta(days=1))
        add_finding(assignment, organization, "closed", due_on=TODAY - timedelta(days=9))
        add_leave(part["instructor"])
        add_leave(part["instructor"], "approved", starts_on=date(2026, 4, 6) + timedelta(offset))
        add_appeal(organization)  # received today
        add_appeal(organization, submitted="2026-05-11 09:00 +0800")  # received, late
        add_appeal(organization, state=AppealState.IN_PROGRESS, assigned=part["instructor"])
        add_appeal(
            organization,
            submitted="2026-05-04 09:00 +0800",
            state=AppealState.IN_PROGRESS,
            assigned=part["instructor"],
        )  # assigned and overdue
        add_appeal(organization, state=AppealState.CLOSED, assigned=part["instructor"])
    if "city" in part:
        add_import(part["city"])  # waiting
        add_import(part["city"], error_rows=2)  # to be fixed, not confirmed as it is
        add_import(part["city"], "done")
    year = 2020 - 2 * scale
    add_report(assignment, year, 1, ReportStatus.DRAFT, TODAY + timedelta(days=2))  # due soon
    add_report(assignment, year, 2, ReportStatus.DRAFT, TODAY - timedelta(days=5))  # overdue
    add_report(assignment, year, 3, ReportStatus.DRAFT, TODAY + timedelta(days=40))  # later
    add_report(assignment, year, 4, ReportStatus.RETURNED, TODAY + timedelta(days=10))
    add_report(assignment, year + 1, 1, ReportStatus.SUBMITTED, TODAY)
    add_report(assignment, year + 1, 2, ReportStatus.APPROVED, TODAY)


@pytest.fixture
def data(world):
    fill(world["mine"])
    fill(world["other"])
    # A colleague at another organization of the same district: the instructor never counts
    # its rows, the officer of another union neither; the admin does.
    part = world["mine"]
    colleague = factories.InstructorFactory(name="同城同事", federation=part["city"])
    union = factories.UnionFactory(name="同区另一工会", federation=part["district"])
    elsewhere = factories.OrganizationFactory(
        name="同区另一公司", federation=part["district"], union=union
    )
    assignment = factories.make_assignment(
        instructor=colleague, organizations=[elsewhere], batch=part["batch"]
    )
    fill({**part, "assignment": assignment, "organization": elsewhere, "instructor": colleague})
    return world


@pytest.fixture
def rights_staff(world):
    user = factories.UserFactory(full_name="权益部刘干事")
    factories.grant(user, Role.RIGHTS_STAFF, federation=world["mine"]["city"])
    return user


# ----- reading the workbench -----


def api_items(user) -> dict[str, dict]:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(API)
    assert response.status_code == 200
    return {item["kind"]: item for item in response.json()}


def page_counts(client, user) -> dict[str, int]:
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    cards = response.context["todo"] + response.context["actions"]
    if response.context["week_rule"]:
        cards.append(response.context["week_rule"])
    return {card.item.kind: card.item.count for card in cards}


def listed_rows(client, user, url: str) -> int:
    """How many rows the linked list shows (every page)."""
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    if "page_obj" in response.context:
        page = response.context["page_obj"]
        if isinstance(page, KeysetPage):  # a list that can reach millions counts up to a cap
            assert not page.count_is_capped
            return page.count
        return page.paginator.count
    return len(response.context["jobs"])  # the imports hub lists its waiting jobs whole


# ----- the independent counts -----


def in_city(part) -> dict:
    return {"assignment__batch__federation__path__startswith": part["city"].path}


def expected_instructor(part) -> dict[str, int]:
    instructor = part["instructor"]
    return {
        "answers_to_verify": Finding.objects.filter(
            assignment__instructor=instructor, status="answered"
        ).count(),
        "disputed_days": OnSiteDay.objects.filter(instructor=instructor, status="disputed").count(),
        "reports_due": QuarterlyReport.objects.filter(
            assignment__instructor=instructor,
            status="draft",
            due_on__lte=TODAY + timedelta(days=3),
        ).count(),
        "reports_returned": QuarterlyReport.objects.filter(
            assignment__instructor=instructor, status="returned"
        ).count(),
        "appeals_assigned": Appeal.objects.filter(
            assigned_instructor=instructor, state__in=OPEN_STATES
        ).count(),
    }


def expected_officer(part) -> dict[str, int]:
    union = part["union"]
    return {
        "days_to_confirm": OnSiteDay.objects.filter(
            organization__union=union, status="unconfirmed"
        ).count(),
        "findings_to_answer": Finding.objects.filter(
            organization__union=union, status__in=("open", "reopened")
        ).count(),
        "appeals_of_my_organizations": Appeal.objects.filter(
            organization__union=union, state__in=OPEN_STATES
        ).count(),
    }


def overdue_appeals(federation_path: str) -> int:
    late = [
        appeal
        for appeal in Appeal.objects.filter(federation__path__startswith=federation_path)
        if appeal.state in OPEN_STATES
        and (
            appeal.resolve_due < TODAY
            or (appeal.first_answered_at is None and appeal.first_answer_due < TODAY)
            or (appeal.state == AppealState.RECEIVED and appeal.accept_due < TODAY)
        )
    ]
    return len(late)


def expected_admin(part, path=None) -> dict[str, int]:
    path = path or part["city"].path
    return {
        "reports_to_review": QuarterlyReport.objects.filter(
            assignment__batch__federation__path__startswith=path, status="submitted"
        ).count(),
        "leave_to_decide": LeaveRequest.objects.filter(
            instructor__federation__path__startswith=path, status="pending"
        ).count(),
        "findings_overdue": Finding.objects.filter(
            assignment__batch__federation__path__startswith=path, due_on__lt=TODAY
        )
        .exclude(status="closed")
        .count(),
        "appeals_overdue": overdue_appeals(path),
        "imports_waiting": ImportJob.objects.filter(
            federation__path__startswith=path, status="checked", error_rows=0, total_rows__gt=0
        ).count(),
    }


def expected_rights(part) -> dict[str, int]:
    path = part["city"].path
    return {
        "appeals_new": Appeal.objects.filter(
            federation__path__startswith=path, state=AppealState.RECEIVED
        ).count(),
        "appeals_overdue": overdue_appeals(path),
        "appeals_open": Appeal.objects.filter(
            federation__path__startswith=path, state__in=OPEN_STATES
        ).count(),
    }


# ----- per role: the items and their counts -----


def test_instructor_items_count_its_own_rows_only(client, data):
    part = data["mine"]
    user = part["instructor_user"]
    expected = expected_instructor(part)
    items = api_items(user)
    assert {kind: items[kind]["count"] for kind in expected} == expected
    assert expected == {
        "answers_to_verify": 2,
        "disputed_days": 1,
        "reports_due": 2,
        "reports_returned": 1,
        "appeals_assigned": 2,
    }
    # The colleague's rows in the same district are not counted.
    assert OnSiteDay.objects.filter(status="disputed").count() > expected["disputed_days"]
    assert page_counts(client, user) == {kind: item["count"] for kind, item in items.items()}


def test_instructor_items_link_to_exactly_the_counted_rows(client, data):
    user = data["mine"]["instructor_user"]
    for kind, item in api_items(user).items():
        if item["action"] or kind == "week_rule":
            continue
        assert listed_rows(client, user, item["url"]) == item["count"], kind


def test_officer_items_count_its_union_only(client, data):
    part = data["mine"]
    user = part["officer"]
    expected = expected_officer(part)
    items = api_items(user)
    assert set(items) == set(expected)
    assert {kind: items[kind]["count"] for kind in expected} == expected
    assert expected == {
        "days_to_confirm": 2,
        "findings_to_answer": 3,
        "appeals_of_my_organizations": 4,
    }
    assert items["findings_to_answer"]["urgent"]  # one is past its due date
    for kind, item in items.items():
        assert listed_rows(client, user, item["url"]) == item["count"], kind


def test_admin_items_count_its_subtree(client, data):
    part = data["mine"]
    user = part["admin"]
    expected = expected_admin(part)
    items = api_items(user)
    assert set(items) == set(expected)
    assert {kind: items[kind]["count"] for kind in expected} == expected
    # The colleague's rows count too; the other city's do not.
    assert expected["leave_to_decide"] == 2
    assert LeaveRequest.objects.filter(status="pending").count() == 3
    assert expected["imports_waiting"] == 2  # the city's own and the colleague's part
    for kind, item in items.items():
        assert listed_rows(client, user, item["url"]) == item["count"], kind


def test_district_admin_counts_its_district_only(client, data):
    part = data["mine"]
    district = part["district"]
    sibling = factories.make_federation(name="另一区总工会", level="district", parent=part["city"])
    instructor = factories.InstructorFactory(name="另一区指导员", federation=sibling)
    organization = factories.OrganizationFactory(
        federation=sibling, union=factories.UnionFactory(federation=sibling)
    )
    batch = factories.BatchFactory(federation=sibling, name="另一区第一期")
    assignment = factories.make_assignment(
        instructor=instructor, organizations=[organization], batch=batch
    )
    fill({"assignment": assignment, "organization": organization, "instructor": instructor})
    user = factories.federation_admin(sibling)
    expected = expected_admin(None, path=sibling.path)
    items = api_items(user)
    assert {kind: items[kind]["count"] for kind in expected} == expected
    assert expected["leave_to_decide"] == 1
    assert expected_admin(part)["leave_to_decide"] == 3  # the city counts both districts
    assert district.path != sibling.path
    for kind, item in items.items():
        assert listed_rows(client, user, item["url"]) == item["count"], kind


def test_rights_staff_see_new_and_overdue_appeals_with_a_countdown(client, data, rights_staff):
    part = data["mine"]
    expected = expected_rights(part)
    items = api_items(rights_staff)
    assert set(items) == set(expected)
    assert {kind: items[kind]["count"] for kind in expected} == expected
    nearest = min(
        Appeal.objects.filter(
            federation__path__startswith=part["city"].path, state=AppealState.RECEIVED
        ).values_list("accept_due", flat=True)
    )
    assert items["appeals_new"]["due_on"] == nearest.isoformat()
    assert items["appeals_overdue"]["urgent"]
    assert items["appeals_new"]["urgent"]  # one waits past its acceptance deadline
    for kind, item in items.items():
        assert listed_rows(client, rights_staff, item["url"]) == item["count"], kind
    html = client.get(HOME).content.decode()
    assert "已超期" in html  # the earliest new appeal is past its acceptance deadline
    # The page's total is the navigation's 首页 badge: the appeals being handled are a status.
    waiting = expected["appeals_new"] + expected["appeals_overdue"]
    assert f'data-waiting="{waiting}"' in html


def test_leader_sees_its_federation_figures_and_the_exceptions(client, data):
    part = data["mine"]
    user = part["leader"]
    items = api_items(user)
    assert set(items) == {"findings_overdue", "appeals_overdue"}
    assert items["findings_overdue"]["count"] == expected_admin(part)["findings_overdue"]
    client.force_login(user)
    response = client.get(HOME)
    headline = response.context["headline"]
    assert headline["federation"] == part["city"]
    assert 'data-headline="compliance_rate"' in response.content.decode()


# ----- the instructor's day -----


def test_instructor_is_offered_check_in_then_record_and_check_out(client, world):
    part = world["mine"]
    user = part["instructor_user"]
    items = api_items(user)
    assert [kind for kind, item in items.items() if item["action"]] == ["check_in"]
    day = add_day(part["assignment"], part["organization"], TODAY, out=False)
    # Written by a factory, nobody's request: as the instructor's own check-in (a POST) would,
    # drop its cached items (tests/dashboard/test_home_cache.py tests that bump).
    usercache.bump(user.pk)
    items = api_items(user)
    assert [kind for kind, item in items.items() if item["action"]] == [
        "today_day",
        "record_work",
        "check_out",
    ]
    day_page = reverse("fieldwork:on_site_day_detail", args=[day.pk])
    assert items["today_day"]["url"] == day_page
    # 签退 opens the day page's check-out form (the check-out itself is a POST).
    assert items["check_out"]["url"] == f"{day_page}#check-out"
    client.force_login(user)
    assert client.get(items["check_out"]["url"]).status_code == 200
    html = client.get(HOME).content.decode()
    assert f"{part['organization'].name}，09:00 签到" in html
    OnSiteDay.objects.filter(pk=day.pk).update(checked_out_at=at(TODAY, 17))
    usercache.bump(user.pk)  # the instructor's check-out
    assert [kind for kind, item in api_items(user).items() if item["action"]] == [
        "today_day",
        "record_work",
    ]
    html = client.get(HOME).content.decode()
    assert 'data-item="record_work"' in html
    assert 'data-item="check_out"' not in html
    assert 'data-item="check_in"' not in html
    assert "09:00 签到，17:00 签退" in html


def test_week_rule_follows_the_compliance_grid(client, world):
    part = world["mine"]
    user = part["instructor_user"]
    assert api_items(user)["week_rule"]["count"] == 1  # not on site yet this week
    add_day(part["assignment"], part["organization"], TODAY, "unconfirmed")
    usercache.bump(user.pk)  # the instructor's own check-in
    assert api_items(user)["week_rule"]["count"] == 1  # awaiting the officer's confirmation
    OnSiteDay.objects.filter(on_date=TODAY).update(status="confirmed")
    usercache.bump(user.pk)  # the officer's confirmation notifies the instructor
    assert api_items(user)["week_rule"]["count"] == 0
    client.force_login(user)
    assert "本周" in client.get(HOME).content.decode()


# ----- the page, the navigation, the API -----


def test_zero_items_are_shown_calmly(client, world):
    client.force_login(world["mine"]["officer"])
    html = client.get(HOME).content.decode()
    assert "暂无待办" in html
    assert "is-urgent" not in html


def test_urgent_items_are_highlighted_and_badged_in_the_navigation(client, data):
    user = data["mine"]["officer"]
    client.force_login(user)
    html = client.get(HOME).content.decode()
    assert 'class="todo-card is-urgent" href="/fieldwork/findings/?awaiting=union"' in html
    expected = expected_officer(data["mine"])
    assert '<span class="nav-count"' in html
    # The findings entry carries the rectifications to answer.
    findings_link = html.split('href="/fieldwork/findings/"')[1].split("</a>")[0]
    assert f">{expected['findings_to_answer']}</span>" in findings_link
    # Another page shows the same badges.
    other = client.get(reverse("orgs:union_list")).content.decode()
    assert other.split('href="/fieldwork/findings/"')[1].split("</a>")[0] == findings_link


def test_api_items_have_the_contract_keys(data):
    items = api_items(data["mine"]["admin"])
    for item in items.values():
        assert {"kind", "label", "count", "url"} <= set(item)
        assert isinstance(item["count"], int)
        assert item["url"].startswith("/")
    assert items["leave_to_decide"]["label"] == "待审批的请假"


def test_api_requires_a_login(db):
    assert APIClient().get(API).status_code in (401, 403)


# ----- query counts: fixed per role, whatever the data -----


def count_queries(fetch) -> int:
    with CaptureQueriesContext(connection) as queries:
        fetch()
    return len(queries)


def home_and_api_queries(client, user) -> tuple[int, int]:
    client.force_login(user)
    api = APIClient()
    api.force_authenticate(type(user).objects.get(pk=user.pk))  # its scope not yet cached
    client.get(HOME)
    page = count_queries(lambda: client.get(HOME))
    answer = count_queries(lambda: api.get(API))
    return page, answer


@pytest.mark.parametrize("role", ["admin", "leader", "instructor_user", "officer", "rights"])
def test_workbench_query_count_does_not_grow_with_data(client, world, rights_staff, role):
    user = rights_staff if role == "rights" else world["mine"][role]
    fill(world["mine"])
    small = home_and_api_queries(client, user)
    fill(world["mine"], scale=2)
    fill(world["mine"], scale=3)
    assert home_and_api_queries(client, user) == small
    # A few aggregates per role (the instructor's week adds the compliance grid's reads).
    assert small[1] <= 15
