"""The phones' bottom tab bar (core/includes/tabbar.html) and 我的 (accounts:me), which holds
the side menu's entries on a phone: the tabs of each role, the current one marked, the badges."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from zhidao.accounts.models import Role
from zhidao.fieldwork.models import OnSiteDay
from zhidao.notifications.models import Notification

ME = reverse("accounts:me")
TAB = re.compile(r'<a class="tab" href="([^"]*)"( aria-current="page")? data-tab="(\w+)"')


def tabs(client, url="/") -> list[tuple[str, str, bool]]:
    """(tab, link, current) of the tab bar on the page."""
    html = client.get(url).content.decode()
    bar = html[html.index('<nav class="tabbar"') :]
    bar = bar[: bar.index("</nav>")]
    return [
        (name, href.replace("&amp;", "&"), bool(current))
        for href, current, name in TAB.findall(bar)
    ]


def names(client, url="/") -> list[str]:
    return [name for name, _href, _current in tabs(client, url)]


def test_instructor_tabs_are_home_check_in_record_messages_me(client, world):
    client.force_login(world["mine"]["instructor_user"])
    assert tabs(client) == [
        ("home", "/", True),
        ("check_in", reverse("fieldwork:check_in"), False),
        ("record", reverse("fieldwork:work_record_create"), False),
        ("messages", reverse("notifications:inbox"), False),
        ("me", ME, False),
    ]
    html = client.get("/").content.decode()
    for label in ("首页", "签到", "记录", "消息", "我的"):
        assert f'<span class="tab-label">{label}</span>' in html


@pytest.mark.parametrize(
    ("url", "current"),
    [
        (reverse("fieldwork:check_in"), "check_in"),
        (reverse("fieldwork:work_record_create"), "record"),
        (reverse("fieldwork:work_record_list"), "record"),
        (reverse("notifications:inbox"), "messages"),
        (ME, "me"),
        (reverse("accounts:password_change"), "me"),
        (reverse("orgs:organization_list"), None),
    ],
)
def test_the_current_tab_is_marked(client, world, url, current):
    client.force_login(world["mine"]["instructor_user"])
    marked = [name for name, _href, is_current in tabs(client, url) if is_current]
    assert marked == ([current] if current else [])


def test_the_day_page_is_under_the_check_in_tab(client, world):
    part = world["mine"]
    day = OnSiteDay.objects.create(
        assignment=part["assignment"],
        organization=part["organization"],
        instructor=part["instructor"],
        on_date=date(2026, 6, 1),
        checked_in_at="2026-06-01T09:00+08:00",
    )
    client.force_login(part["instructor_user"])
    url = reverse("fieldwork:on_site_day_detail", args=[day.pk])
    assert [name for name, _href, current in tabs(client, url) if current] == ["check_in"]


def test_union_officer_tabs_confirm_and_rectify_with_their_badges(client, world):
    part = world["mine"]
    for days_ago in (1, 2):
        on = date(2026, 6, 1) - timedelta(days=days_ago)
        OnSiteDay.objects.create(
            assignment=part["assignment"],
            organization=part["organization"],
            instructor=part["instructor"],
            on_date=on,
            checked_in_at=f"{on.isoformat()}T09:00+08:00",
        )
    client.force_login(part["officer"])
    assert tabs(client) == [
        ("home", "/", True),
        ("confirm", reverse("fieldwork:officer_confirmations"), False),
        ("rectify", reverse("fieldwork:finding_list") + "?awaiting=union", False),
        ("messages", reverse("notifications:inbox"), False),
        ("me", ME, False),
    ]
    html = client.get("/").content.decode()
    confirm = html[html.index('data-tab="confirm"') :]
    confirm = confirm[: confirm.index("</a>")]
    assert '<span class="tab-badge" aria-hidden="true">2</span>' in confirm
    assert '<span class="sr-only">2 项待办</span>' in confirm


@pytest.mark.parametrize("role", ["admin", "leader"])
def test_federation_staff_tabs(client, world, role):
    client.force_login(world["mine"][role])
    assert names(client) == ["home", "dashboard", "reports", "messages", "me"]


def test_rights_staff_tabs(client, world):
    user = factories.UserFactory()
    factories.grant(user, Role.RIGHTS_STAFF, federation=world["mine"]["city"])
    client.force_login(user)
    assert names(client) == ["home", "appeals", "messages", "me"]


def test_a_user_without_a_role_still_reaches_messages_and_me(client, db):
    client.force_login(factories.UserFactory())
    assert names(client) == ["home", "messages", "me"]


def test_messages_tab_counts_the_unread(client, world):
    user = world["mine"]["instructor_user"]
    for number in range(3):
        Notification.objects.create(
            recipient=user, title=f"第 {number} 条", cause_key=f"test:{number}"
        )
    client.force_login(user)
    html = client.get("/").content.decode()
    messages = html[html.index('data-tab="messages"') :]
    messages = messages[: messages.index("</a>")]
    assert '<span class="tab-badge" aria-hidden="true">3</span>' in messages
    assert "3条未读" in messages


def test_the_tab_bar_adds_no_query_to_a_page(client, world):
    """Its badges are the navigation's and the top bar's, computed once per request."""
    client.force_login(world["mine"]["officer"])
    url = reverse("orgs:organization_list")
    client.get(url)
    with CaptureQueriesContext(connection) as with_bar:
        html = client.get(url).content.decode()
    assert 'class="tabbar"' in html
    tables = " ".join(query["sql"] for query in with_bar.captured_queries)
    assert tables.count('FROM "notifications_notification"') == 1


def test_signed_out_pages_have_no_tab_bar(client, db):
    html = client.get(reverse("accounts:login")).content.decode()
    assert "tabbar" not in html


def test_me_lists_the_roles_the_account_links_and_the_whole_menu(client, world):
    client.force_login(world["mine"]["officer"])
    response = client.get(ME)
    html = response.content.decode()
    assert response.status_code == 200
    assert "基层工会干部" in html and world["mine"]["union"].name in html
    assert reverse("accounts:password_change") in html
    assert reverse("notifications:preferences") in html
    assert f'action="{reverse("accounts:logout")}"' in html
    menu = html[html.index('class="card me-menu"') :]
    for name in ("fieldwork:officer_confirmations", "orgs:union_list", "appeals:appeal_list"):
        assert f'href="{reverse(name)}"' in menu, name


def test_me_query_count_does_not_grow_with_roles(client, world):
    user = world["mine"]["officer"]
    client.force_login(user)
    client.get(ME)
    with CaptureQueriesContext(connection) as one:
        client.get(ME)
    for number in range(2):
        union = factories.UnionFactory(
            name=f"湘潭第{number}工会", federation=world["mine"]["district"]
        )
        factories.grant(user, Role.UNION_OFFICER, union=union)
    client.get(ME)
    with CaptureQueriesContext(connection) as three:
        response = client.get(ME)
    assert len(response.context["grants"]) == 3
    assert len(three) == len(one)
