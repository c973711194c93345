"""Sessions end after 30 minutes idle and 12 hours in all (SECURITY.md "Sessions")."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory
from zhidao.accounts.models import UserSession

HOME = reverse("core:home")
LOGIN = reverse("accounts:login")


@pytest.fixture
def logged_in(client, db):
    UserFactory(username="wangwu")
    with time_machine.travel("2026-06-01 08:00 +0800", tick=False) as traveller:
        response = client.post(LOGIN, {"username": "wangwu", "password": TEST_PASSWORD})
        assert response.status_code == 302
        yield traveller


def sent_to_login(response) -> bool:
    return response.status_code == 302 and response.url.startswith(LOGIN)


def test_request_after_29_idle_minutes_is_served(client, logged_in):
    logged_in.shift(timedelta(minutes=29))
    assert client.get(HOME).status_code == 200


def test_request_after_31_idle_minutes_is_sent_to_login(client, logged_in):
    logged_in.shift(timedelta(minutes=31))
    assert sent_to_login(client.get(HOME))


def test_each_request_renews_the_idle_timer(client, logged_in):
    for _ in range(3):
        logged_in.shift(timedelta(minutes=29))
        assert client.get(HOME).status_code == 200
    # 87 minutes after login, but never 30 minutes idle.
    logged_in.shift(timedelta(minutes=31))
    assert sent_to_login(client.get(HOME))


def test_active_session_ends_after_12_hours(client, logged_in):
    for step in range(1, 29):  # a request every 25 minutes up to 11 h 40 min
        logged_in.shift(timedelta(minutes=25))
        assert client.get(HOME).status_code == 200, f"logged out after {step * 25} minutes"
    logged_in.shift(timedelta(minutes=25))  # 12 h 05 min after login
    response = client.get(HOME)
    assert sent_to_login(response)
    page = client.get(response.url).content.decode()
    assert "会话已过期" in page
    assert "_auth_user_id" not in client.session


def session_writes(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return sum(
        1
        for query in captured
        if "accounts_usersession" in query["sql"]
        and query["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    )


def test_pages_within_a_minute_do_not_write_the_session(client, logged_in):
    expiry = UserSession.objects.get().expire_date
    logged_in.shift(timedelta(seconds=20))
    assert session_writes(client, HOME) == 0
    logged_in.shift(timedelta(seconds=20))
    assert session_writes(client, HOME) == 0
    assert UserSession.objects.get().expire_date == expiry
    # A minute after the last renewal the expiry moves, with the cookie.
    logged_in.shift(timedelta(seconds=30))
    assert session_writes(client, HOME) == 1
    assert UserSession.objects.get().expire_date - expiry == timedelta(seconds=70)
