"""Logins, failed logins, logouts and exports are logged; the log cannot be changed."""

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory
from zhidao.audit.models import AccessEvent, AccessEventKind, AppendOnlyError

LOGIN = reverse("accounts:login")


@pytest.fixture
def user(db):
    return UserFactory(username="zhouba")


def login(client, username, password, address="10.3.3.3"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_login_is_logged_with_user_and_address(client, user):
    login(client, "zhouba", TEST_PASSWORD)
    event = AccessEvent.objects.get(kind=AccessEventKind.LOGIN)
    assert event.user == user
    assert event.username == "zhouba"
    assert event.ip_address == "10.3.3.3"


def test_failed_login_of_a_known_account_is_logged_against_it(client, user):
    login(client, "zhouba", "Wrong#Pass123")
    event = AccessEvent.objects.get(kind=AccessEventKind.LOGIN_FAILED)
    assert event.user == user
    assert event.ip_address == "10.3.3.3"


def test_failed_login_with_an_unknown_username_keeps_the_name_tried(client, db):
    login(client, "no-such-user", "Wrong#Pass123")
    event = AccessEvent.objects.get(kind=AccessEventKind.LOGIN_FAILED)
    assert event.user is None
    assert event.username == "no-such-user"


def test_the_fifth_failure_and_attempts_during_lockout_are_logged_as_lockouts(client, user):
    for _ in range(6):
        login(client, "zhouba", "Wrong#Pass123")
    kinds = list(AccessEvent.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == [AccessEventKind.LOGIN_FAILED] * 4 + [AccessEventKind.LOCKED_OUT] * 2


def test_logout_is_logged(client, user):
    login(client, "zhouba", TEST_PASSWORD)
    client.post(reverse("accounts:logout"), REMOTE_ADDR="10.3.3.4")
    event = AccessEvent.objects.get(kind=AccessEventKind.LOGOUT)
    assert event.user == user
    assert event.ip_address == "10.3.3.4"


def test_an_access_event_cannot_be_changed(user):
    event = AccessEvent.objects.create(kind=AccessEventKind.LOGIN, user=user, username="zhouba")
    event.username = "someone-else"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.filter(pk=event.pk).update(username="someone-else")
    assert AccessEvent.objects.get(pk=event.pk).username == "zhouba"


def test_an_access_event_cannot_be_deleted(user):
    event = AccessEvent.objects.create(kind=AccessEventKind.LOGIN, user=user, username="zhouba")
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.all().delete()
    assert AccessEvent.objects.filter(pk=event.pk).exists()


def test_deleting_a_user_keeps_its_access_events(user):
    AccessEvent.objects.create(kind=AccessEventKind.LOGIN, user=user, username="zhouba")
    user.delete()
    event = AccessEvent.objects.get(username="zhouba")
    assert event.user is None
