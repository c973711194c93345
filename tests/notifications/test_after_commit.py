"""Side effects after the commit (DESIGN.md): the inbox row is written with the caller's
transaction, the e-mail goes out only once that transaction commits, and a rollback sends
nothing."""

import pytest
from django.core import mail
from django.db import transaction

from tests import factories
from tests.appeals.staff.conftest import make_appeal
from zhidao.accounts.models import Role
from zhidao.appeals import services as appeal_services
from zhidao.notifications.models import Notification, NotificationKind
from zhidao.notifications.services import notify
from zhidao.notifications.tasks import deliver_notification

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


@pytest.fixture
def reader(world):
    user = world["mine"]["instructor_user"]
    user.email = "reader@example.org"
    user.save(update_fields=["email"])
    return user


def remind(user, key="k1"):
    return notify(user, kind=NotificationKind.OTHER, cause_key=key, title="提醒", body="正文")


def test_notification_is_emailed_once_after_the_commit(reader, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        remind(reader)
        remind(reader)  # the same cause again: no second row, no second mail
        assert mail.outbox == []  # nothing leaves while the transaction is open

    # One delivery queued (the others drop the reader's cached unread count: usercache.bump).
    assert [callback.__qualname__ for callback in callbacks].count("notify.<locals>.<lambda>") == 1
    assert [message.to for message in mail.outbox] == [["reader@example.org"]]
    assert mail.outbox[0].subject == "提醒"
    assert Notification.objects.filter(recipient=reader).count() == 1


def test_nothing_is_sent_when_the_transaction_rolls_back(
    reader, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        remind(reader)
        raise Rollback

    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.filter(recipient=reader).exists()


def test_a_delivery_for_a_deleted_notification_sends_nothing(reader):
    notification = remind(reader)
    notification_id = notification.pk
    notification.delete()

    assert deliver_notification(notification_id) is False
    assert mail.outbox == []


@pytest.fixture
def rights_staff(world):
    user = factories.UserFactory(email="rights@example.org")
    factories.grant(user, Role.RIGHTS_STAFF, federation=world["mine"]["city"])
    return user


def test_an_escalation_that_rolls_back_mails_nobody(
    world, rights_staff, django_capture_on_commit_callbacks
):
    appeal = make_appeal(world["mine"]["organization"], anonymous=True)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        appeal_services.escalate_appeal(
            appeal=appeal, actor=world["mine"]["admin"], note="企业拒不配合"
        )
        raise Rollback

    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.filter(recipient=rights_staff).exists()


def test_an_escalation_mails_the_rights_staff_once_after_it_commits(
    world, rights_staff, django_capture_on_commit_callbacks
):
    appeal = make_appeal(world["mine"]["organization"], anonymous=True)

    with django_capture_on_commit_callbacks(execute=True):
        appeal_services.escalate_appeal(
            appeal=appeal, actor=world["mine"]["admin"], note="企业拒不配合"
        )
        # The escalation's own transaction is over, its row lock released, before any mail.
        assert mail.outbox == []

    assert [message.to for message in mail.outbox] == [["rights@example.org"]]
    assert appeal.code in mail.outbox[0].subject
    assert f"/appeals/{appeal.pk}/" in mail.outbox[0].body
    notification = Notification.objects.get(recipient=rights_staff)
    assert notification.kind == NotificationKind.APPEAL_ESCALATED


def test_escalations_show_in_the_one_inbox_and_on_the_appeals_page(client, world, rights_staff):
    appeal = make_appeal(world["mine"]["organization"], anonymous=True)
    appeal_services.escalate_appeal(appeal=appeal, actor=world["mine"]["admin"], note="逾期")
    client.force_login(rights_staff)

    inbox = client.get("/inbox/")
    appeals_page = client.get("/appeals/notifications/")
    client.post("/appeals/notifications/")

    assert appeal.code in inbox.content.decode()
    assert appeal.code in appeals_page.content.decode()
    assert not Notification.objects.filter(recipient=rights_staff, read_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_an_escalation_from_the_page_is_mailed_when_its_request_commits(client, world):
    # A real commit, inside the request (its scope guard on): the queued delivery runs as the
    # system, after the escalation's row lock is gone.
    staff = factories.UserFactory(email="rights@example.org")
    factories.grant(staff, Role.RIGHTS_STAFF, federation=world["mine"]["city"])
    appeal = make_appeal(world["mine"]["organization"], anonymous=True)
    mail.outbox.clear()
    client.force_login(world["mine"]["admin"])

    response = client.post(f"/appeals/{appeal.pk}/escalate/", {"note": "企业拒不配合"})

    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["rights@example.org"]]
    assert Notification.objects.filter(recipient=staff, read_at__isnull=True).count() == 1
