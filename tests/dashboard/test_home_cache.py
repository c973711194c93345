"""The per-user cache of the workbench (zhidao/core/usercache.py): a warm home reads the session,
the user and its roles only; the user's own write, a notification to the user, the 60 s TTL and
a new day each show fresh figures; one user's cached figures never reach another user; an
officer's and an admin's items, which change without a word to them, are never kept.

Each invalidation test first changes a row behind the cache's back (a factory write, nobody's
request) and checks that the page still shows the old figure: the cache is in play, and what
follows is what refreshed it."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhidao.fieldwork.models import OnSiteDay, OnSiteDayStatus
from zhidao.fieldwork.onsite.services import dispute_day
from zhidao.notifications.models import Notification
from zhidao.notifications.services import notify

# With the per-user cache on, as in production (tests/conftest.py).
pytestmark = pytest.mark.user_cache

TZ = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 6, 1)  # a Monday, 10:00 in the tests (the TTL tests count from there)
HOME = reverse("core:home")


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel(datetime(2026, 6, 1, 10, tzinfo=TZ), tick=False):
        yield


def add_day(part, on_date: date = TODAY, *, status=OnSiteDayStatus.UNCONFIRMED, out=True):
    return OnSiteDay.objects.create(
        assignment=part["assignment"],
        organization=part["organization"],
        instructor=part["instructor"],
        on_date=on_date,
        checked_in_at=datetime(on_date.year, on_date.month, on_date.day, 9, tzinfo=TZ),
        checked_out_at=(
            datetime(on_date.year, on_date.month, on_date.day, 17, tzinfo=TZ) if out else None
        ),
        status=status,
    )


def page(client) -> str:
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def counts(html: str) -> dict[str, int]:
    return {
        kind: int(count)
        for kind, count in re.findall(r'data-item="(\w+)" data-count="(\d+)"', html)
    }


def disputed(html: str) -> int:
    """The disputed days as the to-do card and as the navigation's 驻点记录 badge show them."""
    card = counts(html)["disputed_days"]
    badge = re.search(
        r'href="/fieldwork/days/"[^>]*>[^<]*<span class="nav-count"[^>]*>(\d+)<', html
    )
    assert (int(badge.group(1)) if badge else 0) == card
    return card


def unread(html: str) -> int:
    found = re.search(r'data-unread="(\d+)"', html)
    return int(found.group(1)) if found else 0


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def home_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        page(client)
    return [query["sql"] for query in queries]


def test_warm_home_reads_the_session_the_user_and_its_roles_only(world):
    part = world["mine"]
    add_day(part, status=OnSiteDayStatus.DISPUTED)
    client = logged_in(part["instructor_user"])
    cold = home_queries(client)
    warm = home_queries(client)
    assert len(cold) >= 15  # the providers, the unread count, the assignments
    assert len(warm) == 3
    read_from = [re.search(r'FROM "(\w+)"', sql).group(1) for sql in warm]
    assert read_from == ["accounts_usersession", "accounts_user", "accounts_rolegrant"]
    # And the warm page is the cold page.
    assert disputed(page(client)) == 1
    assert part["organization"].name in page(client)


def test_the_warm_page_shows_what_the_cold_page_showed(world):
    part = world["mine"]
    add_day(part, status=OnSiteDayStatus.DISPUTED)
    notify(part["instructor_user"], kind="other", cause_key="one", title="提醒")
    client = logged_in(part["instructor_user"])
    cold = page(client)
    warm = page(client)
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", warm) == strip.sub("", cold)
    assert unread(warm) == 1 and disputed(warm) == 1


def test_the_users_own_write_shows_on_its_next_page(world):
    part = world["mine"]
    day = add_day(part, out=False)
    last_week = add_day(part, date(2026, 5, 29))
    client = logged_in(part["instructor_user"])
    assert 'data-item="check_out"' in page(client)
    # Behind the cache's back: the page does not know yet.
    OnSiteDay.objects.filter(pk=last_week.pk).update(status=OnSiteDayStatus.DISPUTED)
    assert disputed(page(client)) == 0
    # The instructor's own check-out (a POST) drops its cached items.
    response = client.post(
        reverse("fieldwork:on_site_day_check_out", args=[day.pk]),
        {"client_uuid": str(day.client_uuid), "summary": "座谈"},
    )
    assert response.status_code == 302
    html = page(client)
    assert 'data-item="check_out"' not in html
    assert disputed(html) == 1


def test_a_refused_post_of_the_user_drops_its_cache_too(world):
    """Any unsafe request: a view may write before it refuses the rest."""
    part = world["mine"]
    client = logged_in(part["instructor_user"])
    assert disputed(page(client)) == 0
    add_day(part, status=OnSiteDayStatus.DISPUTED)
    assert disputed(page(client)) == 0
    response = client.post(reverse("fieldwork:check_in"), {})
    assert response.status_code in (200, 400)
    assert disputed(page(client)) == 1


def test_the_officers_dispute_shows_on_the_instructors_next_page(
    world, django_capture_on_commit_callbacks
):
    part = world["mine"]
    day = add_day(part)
    other_day = add_day(part, date(2026, 5, 29))
    client = logged_in(part["instructor_user"])
    assert disputed(page(client)) == 0
    OnSiteDay.objects.filter(pk=other_day.pk).update(status=OnSiteDayStatus.DISPUTED)
    assert disputed(page(client)) == 0  # behind the cache's back
    with django_capture_on_commit_callbacks(execute=True):
        dispute_day(actor=part["officer"], day=day, reason="当天未见到指导员")
    assert Notification.objects.filter(recipient=part["instructor_user"]).count() == 1
    html = page(client)
    assert disputed(html) == 2
    assert unread(html) == 1


def test_reading_a_notification_updates_the_unread_count(world):
    me = world["mine"]["instructor_user"]
    notification = notify(me, kind="other", cause_key="one", title="提醒")
    notify(me, kind="other", cause_key="two", title="再提醒")
    client = logged_in(me)
    assert unread(page(client)) == 2
    response = client.post(reverse("notifications:mark_read", args=[notification.pk]))
    assert response.status_code in (200, 302)
    assert unread(page(client)) == 1


def test_a_change_nobody_is_told_about_shows_after_the_ttl(world):
    part = world["mine"]
    client = logged_in(part["instructor_user"])
    assert disputed(page(client)) == 0
    add_day(part, status=OnSiteDayStatus.DISPUTED)
    with time_machine.travel("2026-06-01 10:00:59 +0800", tick=False):
        assert disputed(page(client)) == 0
    with time_machine.travel("2026-06-01 10:01:01 +0800", tick=False):
        assert disputed(page(client)) == 1


def test_a_new_day_computes_afresh(world):
    part = world["mine"]
    with time_machine.travel("2026-06-01 23:59:40 +0800", tick=False):
        client = logged_in(part["instructor_user"])
        assert disputed(page(client)) == 0
        add_day(part, status=OnSiteDayStatus.DISPUTED)
        assert disputed(page(client)) == 0
    with time_machine.travel("2026-06-02 00:00:10 +0800", tick=False):  # 30 s later
        assert disputed(page(client)) == 1


def test_two_instructors_never_see_each_others_cached_figures(world):
    mine, other = world["mine"], world["other"]
    add_day(mine, status=OnSiteDayStatus.DISPUTED)
    add_day(mine, date(2026, 5, 29), status=OnSiteDayStatus.DISPUTED)
    notify(other["instructor_user"], kind="other", cause_key="one", title="提醒")
    # The same browser, one login after the other, then each in its own.
    client = logged_in(mine["instructor_user"])
    first = page(client)
    client.force_login(other["instructor_user"])
    second = page(client)
    assert (disputed(first), unread(first)) == (2, 0)
    assert (disputed(second), unread(second)) == (0, 1)
    assert mine["organization"].name in first and mine["organization"].name not in second
    assert other["organization"].name in second and other["organization"].name not in first
    for user, expected in ((mine["instructor_user"], 2), (other["instructor_user"], 0)):
        assert disputed(page(logged_in(user))) == expected


def test_the_officer_sees_a_new_day_to_confirm_at_once(world):
    """Nobody tells the officer of a check-in, so an officer's items are never kept: the day
    shows on the officer's next page (issue 12: within seconds of the check-in)."""
    part = world["mine"]
    officer = logged_in(part["officer"])
    assert counts(page(officer))["days_to_confirm"] == 0
    add_day(part)
    assert counts(page(officer))["days_to_confirm"] == 1
    assert "days_to_confirm" not in counts(page(logged_in(part["admin"])))


def test_only_an_instructors_items_are_kept(world):
    part = world["mine"]
    officer, admin = logged_in(part["officer"]), logged_in(part["admin"])
    instructor = logged_in(part["instructor_user"])
    for client in (officer, admin, instructor):
        page(client)
    assert len(home_queries(instructor)) == 3
    assert len(home_queries(officer)) > 3
    assert len(home_queries(admin)) > 3


def test_another_language_is_another_entry(world):
    """The labels are stored translated: English after Chinese, with no write between."""
    client = logged_in(world["mine"]["instructor_user"])
    assert "有异议的驻点" in page(client)
    html = client.get(HOME, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Disputed on-site days" in html and "有异议的驻点" not in html
