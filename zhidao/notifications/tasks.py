"""Delivery of a stored notification through the outside channels (e-mail, SMS, 企业微信, 钉钉):
queued by `services.notify` once the notifying transaction has committed, never from inside it;
failed deliveries are tried again by `notifications.retry_deliveries` on the beat schedule."""

from celery import shared_task

from zhidao.core.scoping import unguarded

from . import delivery
from .models import Notification


@shared_task(name="notifications.deliver")
def deliver_notification(notification_id: int) -> bool:
    """False when the notification is gone (its recipient was deleted before the worker ran)."""
    # Run from a request's commit (eager in the demo) as well as by a worker: the task reads
    # only the rows it was given, so the request's scope guard does not apply.
    with unguarded():
        notification = (
            Notification.objects.select_related("recipient").filter(pk=notification_id).first()
        )
        if notification is None:
            return False
        delivery.deliver(notification)
    return True


@shared_task(name="notifications.attempt_delivery")
def attempt_delivery(delivery_id: int) -> str | None:
    with unguarded():
        return delivery.attempt(delivery_id)


@shared_task(name="notifications.retry_deliveries")
def retry_deliveries() -> int:
    with unguarded():
        return delivery.retry_due()
