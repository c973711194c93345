"""From a stored notification to its outside channels: which ones (the recipient's choice and
addresses), one Delivery row each, one attempt at once and retries with backoff.

A delivery is claimed by moving its next_attempt_at forward before the channel is called, so two
workers (or a retry task and a 重试 click) never send the same delivery twice at the same time.
"""

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .channels import Channel, DeliveryError, channel_named, external_channels
from .models import ChannelPreference, Delivery, DeliveryStatus, Notification, group_of

logger = logging.getLogger(__name__)

# Minutes to wait after the n-th failed attempt; after the last one the delivery has failed.
BACKOFF_MINUTES = (1, 5, 30, 120, 720)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
# How long a claimed delivery is left to its sender before another run may try it.
CLAIM_SECONDS = 120


def enabled_channel_names(user, group: str) -> set[str]:
    """The outside channels the user wants for this group of kinds (defaults where no choice)."""
    chosen = dict(
        ChannelPreference.objects.filter(user=user, group=group).values_list("channel", "enabled")
    )
    return {
        channel.name
        for channel in external_channels()
        if chosen.get(channel.name, channel.default_enabled)
    }


def plan_deliveries(notification: Notification) -> list[Delivery]:
    """One pending Delivery per wanted channel the recipient can be reached on (again: none
    new)."""
    wanted = enabled_channel_names(notification.recipient, group_of(notification.kind))
    now = timezone.now()
    planned = []
    for channel in external_channels():
        if channel.name not in wanted or not channel.address(notification):
            continue
        try:
            with transaction.atomic():
                delivery, _created = Delivery.objects.get_or_create(
                    notification=notification,
                    channel=channel.name,
                    defaults={"next_attempt_at": now},
                )
        except IntegrityError:  # a concurrent run planned it first
            continue
        planned.append(delivery)
    return planned


def _claim(delivery_id: int, now: datetime) -> bool:
    claimed = Delivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS))
    return claimed == 1


def attempt(delivery_id: int, *, now: datetime | None = None) -> str | None:
    """Try one due delivery; its new status, or None when it was not due (or taken)."""
    now = now or timezone.now()
    if not _claim(delivery_id, now):
        return None
    delivery = Delivery.objects.select_related("notification__recipient").get(pk=delivery_id)
    channel: Channel | None = channel_named(delivery.channel)
    error = ""
    address = ""
    if channel is None or not channel.configured():
        error = f"channel {delivery.channel} is not configured"
    else:
        address = channel.address(delivery.notification)
        if not address:
            error = "the recipient has no address on this channel"
    if not error and channel is not None:
        try:
            channel.send(delivery.notification, address)
        except DeliveryError as failure:
            error = str(failure)
        except Exception as failure:  # an adapter bug must not lose the retry
            logger.exception("delivery %s: channel %s crashed", delivery.pk, delivery.channel)
            error = f"{type(failure).__name__}: {failure}"
    delivery.attempts += 1
    if not error:
        delivery.status = DeliveryStatus.SENT
        delivery.sent_at = timezone.now()
        delivery.last_error = ""
        delivery.next_attempt_at = None
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
        delivery.last_error = error[:2000]
        delivery.next_attempt_at = None
    else:
        delivery.last_error = error[:2000]
        delivery.next_attempt_at = now + timedelta(minutes=BACKOFF_MINUTES[delivery.attempts - 1])
    delivery.save(
        update_fields=[
            "attempts",
            "status",
            "sent_at",
            "last_error",
            "next_attempt_at",
            "updated_at",
        ]
    )
    if error:
        logger.warning("delivery %s (%s) failed: %s", delivery.pk, delivery.channel, error)
    return delivery.status


def deliver(notification: Notification) -> list[Delivery]:
    """Plan the notification's deliveries and try each once now (the retries come later)."""
    planned = plan_deliveries(notification)
    for delivery in planned:
        attempt(delivery.pk)
    return planned


def due_deliveries(now: datetime):
    return Delivery.objects.filter(
        status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).values_list("pk", flat=True)


def retry_due(now: datetime | None = None) -> int:
    """Try every delivery whose next attempt is due; how many were sent."""
    now = now or timezone.now()
    sent = 0
    for delivery_id in list(due_deliveries(now)[:500]):
        sent += attempt(delivery_id, now=now) == DeliveryStatus.SENT
    return sent
