"""The one way to notify somebody: `notify(recipient, kind=..., cause_key=..., ...)`.

The in-app row is written in the caller's transaction; the other channels (e-mail, …) get it
from a background task queued once that transaction commits (DESIGN.md: side effects after the
commit), so a write that rolls back sends nothing and no mail server is waited for while a row
is locked.
"""

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation

from zhidao.accounts.models import User
from zhidao.core import usercache
from zhidao.core.scoping import unguarded_call

from .channels import external_channels
from .models import (
    ChannelAddress,
    ChannelPreference,
    Delivery,
    DeliveryStatus,
    KindGroup,
    Notification,
)
from .tasks import attempt_delivery, deliver_notification

logger = logging.getLogger(__name__)


def _queue_delivery(notification_id: int) -> None:
    try:
        deliver_notification.delay(notification_id)
    except Exception:  # the broker is down: the in-app row is there, the e-mail is lost
        logger.exception("notification %s: delivery could not be queued", notification_id)


@unguarded_call
def notify(
    recipient: User | None,
    *,
    kind: str,
    cause_key: str,
    title: str,
    body: str = "",
    link: str = "",
) -> Notification | None:
    """Store the notification and, after the transaction commits, deliver it through the
    configured channels; once per (recipient, cause_key): a second call for the same cause
    returns None and sends nothing."""
    if recipient is None or not recipient.is_active:
        return None
    # The hand-off that notifies changed the recipient's to-do list: its cached workbench and
    # unread count go (now and after the commit), even when this cause was notified before (an
    # appeal assigned back to the same instructor).
    usercache.bump(recipient.pk)
    if Notification.objects.filter(recipient=recipient, cause_key=cause_key).exists():
        return None
    notification = Notification(
        recipient=recipient,
        kind=kind,
        cause_key=cause_key,
        title=title[:200],
        body=body,
        link=link,
    )
    notification.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            notification.save()
    except IntegrityError:  # a concurrent run stored the same cause first
        return None
    # Outside a transaction (a beat task) this runs at once; a rollback drops it with the row.
    notification_id = notification.pk
    transaction.on_commit(lambda: _queue_delivery(notification_id), robust=True)
    return notification


def notify_on_commit(send: Callable[[], object]) -> None:
    """Run a hand-off's notifications once the caller's transaction has committed: nothing is
    written, let alone sent, for a write that rolls back, and the texts are in the site's
    language whoever made the write. Outside a transaction it runs at once."""

    @unguarded_call
    def run() -> None:
        with translation.override(settings.LANGUAGE_CODE):
            send()

    transaction.on_commit(run, robust=True)


@unguarded_call
def notify_all(
    recipients: Iterable[User],
    *,
    kind: str,
    cause_key: str,
    title: str,
    body: str = "",
    link: str = "",
    exclude: User | None = None,
) -> int:
    """notify() to each recipient once (the actor itself left out); how many were created."""
    sent = 0
    seen: set[int] = set()
    for recipient in recipients:
        if recipient.pk in seen or (exclude is not None and recipient.pk == exclude.pk):
            continue
        seen.add(recipient.pk)
        created = notify(
            recipient, kind=kind, cause_key=cause_key, title=title, body=body, link=link
        )
        sent += created is not None
    return sent


@unguarded_call
def save_preferences(
    *,
    user: User,
    enabled: set[tuple[str, str]],
    wecom_userid: str = "",
    dingtalk_userid: str = "",
) -> None:
    """The user's choice of outside channels per group of kinds (a pair (group, channel) in
    `enabled` is on, any other offered pair off) and its chat user ids."""
    channels = [channel.name for channel in external_channels()]
    with transaction.atomic():
        for group in KindGroup.values:
            for channel in channels:
                ChannelPreference.objects.update_or_create(
                    user=user,
                    group=group,
                    channel=channel,
                    defaults={"enabled": (group, channel) in enabled},
                )
        address, _created = ChannelAddress.objects.get_or_create(user=user)
        address.wecom_userid = (wecom_userid or "").strip()[:64]
        address.dingtalk_userid = (dingtalk_userid or "").strip()[:64]
        address.save()


@unguarded_call
def retry_delivery(*, actor: User, delivery: Delivery) -> Delivery:
    """重试: a failed (or waiting) delivery of a user in the admin's subtree goes out again now,
    with a fresh count of attempts."""
    if not Delivery.objects.visible_to(actor, "change").filter(pk=delivery.pk).exists():
        raise PermissionDenied
    with transaction.atomic():
        updated = Delivery.objects.filter(
            pk=delivery.pk, status__in=[DeliveryStatus.FAILED, DeliveryStatus.PENDING]
        ).update(status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now())
    if updated:
        delivery_id = delivery.pk
        transaction.on_commit(lambda: _queue_attempt(delivery_id), robust=True)
    delivery.refresh_from_db()
    return delivery


def _queue_attempt(delivery_id: int) -> None:
    try:
        attempt_delivery.delay(delivery_id)
    except Exception:  # the broker is down: the periodic retry picks it up
        logger.exception("delivery %s: the retry could not be queued", delivery_id)


@unguarded_call
def mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        usercache.bump(notification.recipient_id)  # the top bar's unread count
    return notification


@unguarded_call
def mark_all_read(*, recipient: User, kind: str | None = None) -> int:
    """Every unread notification of the recipient, or only those of one kind (a room's own
    page of notifications, e.g. escalated appeals)."""
    unread: QuerySet[Notification] = Notification.objects.filter(
        recipient=recipient, read_at__isnull=True
    )
    if kind is not None:
        unread = unread.filter(kind=kind)
    marked = unread.update(read_at=timezone.now())
    if marked:
        usercache.bump(recipient.pk)
    return marked
