"""Logging in and out: one message for every failure, lockout, session rotation, forced change."""

import pytest
import time_machine
from django.urls import reverse

from tests.accounts.helpers import post_password_change
from tests.factories import TEST_PASSWORD, UserFactory
from zhidao.accounts.models import UserSession as Session

LOGIN = reverse("accounts:login")
WRONG = "Wrong#Pass123"
FAILURE_MESSAGE = "用户名或密码不正确。"
LOCKOUT_TITLE = "登录失败次数过多"


def attempt(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


@pytest.fixture
def user(db):
    return UserFactory(username="zhangsan")


def test_login_page_is_in_chinese(client, db):
    page = client.get(LOGIN).content.decode()
    assert "登录" in page
    assert "Log in" not in page
    assert "Username" not in page and "Password" not in page


def test_right_password_logs_in_and_goes_home(client, user):
    response = attempt(client, "zhangsan", TEST_PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("core:home")
    assert client.get(reverse("core:home")).status_code == 200


def test_wrong_password_and_unknown_username_get_the_same_chinese_message(client, user):
    wrong_password = attempt(client, "zhangsan", WRONG).content.decode()
    unknown_user = attempt(client, "nobody-here", WRONG).content.decode()
    assert FAILURE_MESSAGE in wrong_password
    assert FAILURE_MESSAGE in unknown_user


def test_inactive_account_gets_the_same_message_as_a_wrong_password(client, user):
    user.is_active = False
    user.save()
    assert FAILURE_MESSAGE in attempt(client, "zhangsan", TEST_PASSWORD).content.decode()


def test_five_failures_show_the_chinese_lockout_page(client, user):
    for _ in range(4):
        assert attempt(client, "zhangsan", WRONG).status_code == 200
    fifth = attempt(client, "zhangsan", WRONG)
    assert fifth.status_code == 429
    assert LOCKOUT_TITLE in fifth.content.decode()
    assert "30 分钟" in fifth.content.decode()


def test_sixth_attempt_with_the_right_password_is_refused_after_five_failures(client, user):
    for _ in range(5):
        attempt(client, "zhangsan", WRONG)
    sixth = attempt(client, "zhangsan", TEST_PASSWORD)
    assert sixth.status_code == 429
    assert LOCKOUT_TITLE in sixth.content.decode()
    assert "_auth_user_id" not in client.session


def test_another_username_from_the_same_address_is_locked_too(client, user):
    other = UserFactory(username="lisi")
    for _ in range(5):
        attempt(client, "zhangsan", WRONG)
    response = attempt(client, other.username, TEST_PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_locked_account_is_refused_from_another_address(client, user):
    for _ in range(5):
        attempt(client, "zhangsan", WRONG, REMOTE_ADDR="10.1.1.1")
    response = attempt(client, "zhangsan", TEST_PASSWORD, REMOTE_ADDR="10.2.2.2")
    assert response.status_code == 429


def test_failures_with_unknown_usernames_lock_the_source(client, user):
    for number in range(5):
        attempt(client, f"guess{number}", WRONG)
    assert attempt(client, "zhangsan", TEST_PASSWORD).status_code == 429


def test_lockout_ends_after_30_minutes(client, user):
    with time_machine.travel("2026-06-01 09:00 +0800", tick=False) as traveller:
        for _ in range(5):
            attempt(client, "zhangsan", WRONG)
        traveller.shift(29 * 60)
        assert attempt(client, "zhangsan", TEST_PASSWORD).status_code == 429
        traveller.shift(2 * 60)
        assert attempt(client, "zhangsan", TEST_PASSWORD).status_code == 302


def test_login_rotates_the_session_id(client, user):
    session = client.session
    session["before_login"] = "yes"
    session.save()
    old_key = session.session_key

    attempt(client, "zhangsan", TEST_PASSWORD)

    new_key = client.cookies["sessionid"].value
    assert new_key != old_key
    assert not Session.objects.filter(session_key=old_key).exists()
    assert client.session["_auth_user_id"] == str(user.pk)


def test_logout_by_get_is_not_allowed(client, user):
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.get(reverse("core:home")).status_code == 200


def test_logout_deletes_the_server_session(client, user):
    attempt(client, "zhangsan", TEST_PASSWORD)
    key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key).exists()

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    # The old cookie is worth nothing now.
    client.cookies["sessionid"] = key
    home = client.get(reverse("core:home"))
    assert home.status_code == 302
    assert home.url.startswith(LOGIN)


def test_user_who_must_change_password_is_sent_to_the_password_page_after_login(client, user):
    user.must_change_password = True
    user.save()
    attempt(client, "zhangsan", TEST_PASSWORD)

    for path in (reverse("core:home"), reverse("audit:entry_list")):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url == reverse("accounts:password_change")
    page = client.get(reverse("accounts:password_change"))
    assert page.status_code == 200
    assert "请先设置一个新密码" in page.content.decode()


def test_changing_the_password_lifts_the_forced_change(client, user):
    user.must_change_password = True
    user.save()
    client.force_login(user)

    response = post_password_change(client, "Xiangtan#2027")

    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert user.check_password("Xiangtan#2027")
    # Still logged in (the session hash was updated) and free to go anywhere.
    assert client.get(reverse("core:home")).status_code == 200


def test_user_who_must_change_password_may_still_log_out(client, user):
    user.must_change_password = True
    user.save()
    client.force_login(user)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response.url == LOGIN
