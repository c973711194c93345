"""The one way to notify somebody: `notify(recipient, kind=..., cause_key=..., ...)`."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhidao.core.scoping import unguarded_call

from .channels import deliver
from .models import Notification


@unguarded_call
def notify(
    recipient, *, kind: str, cause_key: str, title: str, body: str = "", link: str = ""
) -> Notification | None:
    """Store the notification and deliver it through the configured channels, once per
    (recipient, cause_key): a second call for the same cause returns None and sends nothing."""
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
    deliver(notification)
    return notification


@unguarded_call
def mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@unguarded_call
def mark_all_read(*, recipient) -> int:
    return Notification.objects.filter(recipient=recipient, read_at__isnull=True).update(
        read_at=timezone.now()
    )
