"""The one way to notify somebody: `notify(recipient, kind=..., cause_key=..., ...)`.

The in-app row is written in the caller's transaction; the other channels (e-mail, …) get it
from a background task queued once that transaction commits (DESIGN.md: side effects after the
commit), so a write that rolls back sends nothing and no mail server is waited for while a row
is locked.
"""

import logging

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from zhidao.accounts.models import User
from zhidao.core.scoping import unguarded_call

from .models import Notification
from .tasks import deliver_notification

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


@unguarded_call
def mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
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
    return unread.update(read_at=timezone.now())
