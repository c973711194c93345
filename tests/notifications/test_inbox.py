"""Inbox page, badge, API and the channel interface."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from zhidao.notifications import channels
from zhidao.notifications.models import Notification
from zhidao.notifications.services import notify

pytestmark = pytest.mark.django_db
INBOX = reverse("notifications:inbox")


def send(user, key="k1", **kw):
    return notify(user, kind="other", cause_key=key, title=kw.pop("title", f"通知{key}"), **kw)


def test_inbox_lists_own_notifications_newest_first(client, world):
    me = world["mine"]["instructor_user"]
    send(me, "a", title="第一条")
    send(me, "b", title="第二条")
    send(world["other"]["instructor_user"], "c", title="别人的通知")
    client.force_login(me)
    response = client.get(INBOX)
    assert response.status_code == 200
    titles = [n.title for n in response.context["page_obj"]]
    assert titles == ["第二条", "第一条"]
    assert "别人的通知" not in response.content.decode()


def test_marking_another_users_notification_is_404(client, world):
    theirs = send(world["other"]["instructor_user"])
    client.force_login(world["mine"]["instructor_user"])
    response = client.post(reverse("notifications:mark_read", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_and_open_follows_the_link(client, world):
    me = world["mine"]["instructor_user"]
    notification = send(me, link="/fieldwork/check-in/")
    client.force_login(me)
    response = client.post(
        reverse("notifications:mark_read", args=[notification.pk]), {"next": "link"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/fieldwork/check-in/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_all_read_touches_only_own(client, world):
    me = world["mine"]["instructor_user"]
    send(me, "a")
    send(me, "b")
    theirs = send(world["other"]["instructor_user"], "c")
    client.force_login(me)
    client.post(reverse("notifications:mark_all_read"))
    assert not Notification.objects.filter(recipient=me, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_unread_badge_shows_the_count_in_chinese(client, world):
    me = world["mine"]["instructor_user"]
    send(me, "a")
    send(me, "b")
    client.force_login(me)
    content = client.get(reverse("core:home")).content.decode()
    assert 'data-unread="2"' in content
    assert "2条未读" in content


def test_badge_costs_one_query_whatever_the_number_of_notifications(client, world):
    me = world["mine"]["instructor_user"]
    client.force_login(me)

    def badge_queries():
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("core:home"))
        return [q["sql"] for q in queries if "notifications_notification" in q["sql"]]

    send(me, "first")
    one = badge_queries()
    for index in range(30):
        send(me, f"more{index}")
    assert len(one) == 1
    assert len(badge_queries()) == 1


def test_inbox_query_count_does_not_grow_with_rows(client, world):
    me = world["mine"]["instructor_user"]
    client.force_login(me)
    send(me, "first")
    with CaptureQueriesContext(connection) as one:
        client.get(INBOX)
    for index in range(30):
        send(me, f"more{index}")
    with CaptureQueriesContext(connection) as many:
        client.get(INBOX)
    assert len(one) == len(many)


def test_notify_twice_for_one_cause_creates_one_row(world):
    me = world["mine"]["instructor_user"]
    assert send(me, "same") is not None
    assert send(me, "same") is None
    assert Notification.objects.filter(recipient=me).count() == 1


received = []


class FakeChannel(channels.Channel):
    name = "fake"

    def address(self, notification):
        return "somewhere"

    def send(self, notification, address):
        received.append(notification)


class BrokenChannel(channels.Channel):
    name = "broken"

    def address(self, notification):
        return "somewhere"

    def send(self, notification, address):
        raise RuntimeError("gateway down")


def test_a_channel_configured_in_settings_receives_the_notification(
    settings, world, django_capture_on_commit_callbacks
):
    settings.NOTIFICATION_CHANNELS = [
        "tests.notifications.test_inbox.BrokenChannel",
        "tests.notifications.test_inbox.FakeChannel",
    ]
    received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notification = send(world["mine"]["instructor_user"], "webhook")
        send(world["mine"]["instructor_user"], "webhook")
    assert received == [notification]
    # The broken channel did not stop the other one; its delivery waits for a retry.
    broken = notification.deliveries.get(channel="broken")
    assert (broken.status, broken.attempts) == ("pending", 1)
    assert "gateway down" in broken.last_error


# ----- API -----


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_lists_only_own_notifications(world):
    me = world["mine"]["instructor_user"]
    send(me, "a", title="我的")
    send(world["other"]["instructor_user"], "b", title="别人的")
    response = api(me).get("/api/notifications/")
    assert response.status_code == 200
    results = response.data["results"] if isinstance(response.data, dict) else response.data
    assert [row["title"] for row in results] == ["我的"]


def test_api_marks_own_notification_read_and_others_is_404(world):
    me = world["mine"]["instructor_user"]
    mine = send(me, "a")
    theirs = send(world["other"]["instructor_user"], "b")
    client = api(me)
    response = client.post(f"/api/notifications/{mine.pk}/read/")
    assert response.status_code == 200
    assert response.data["is_read"] is True
    assert client.post(f"/api/notifications/{theirs.pk}/read/").status_code == 404
    assert client.get(f"/api/notifications/{theirs.pk}/").status_code == 404
    assert client.get("/api/notifications/unread/").data == {"unread": 0}
