"""Delivery of a stored notification through the configured channels (e-mail, SMS, …): queued by
`services.notify` once the notifying transaction has committed, never from inside it."""

from celery import shared_task

from .channels import deliver
from .models import Notification


@shared_task(name="notifications.deliver")
def deliver_notification(notification_id: int) -> bool:
    """False when the notification is gone (its recipient was deleted before the worker ran)."""
    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None:
        return False
    deliver(notification)
    return True
