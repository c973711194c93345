"""Delivery channels. A channel gets the stored notification and delivers it its own way.

Channels are listed in settings.NOTIFICATION_CHANNELS (dotted paths), so an SMS gateway or an
enterprise-chat webhook is one more class here (or anywhere) and one more line in the settings;
callers only ever call `zhidao.notifications.services.notify`.
"""

import logging
from functools import cache

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from .models import Notification

logger = logging.getLogger(__name__)

DEFAULT_CHANNELS = (
    "zhidao.notifications.channels.InAppChannel",
    "zhidao.notifications.channels.EmailChannel",
)


class Channel:
    """Deliver one notification. Must not raise for a recipient it cannot reach."""

    name = "channel"

    def send(self, notification: Notification) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class InAppChannel(Channel):
    """The stored row is the in-app message (inbox and unread badge): nothing more to do."""

    name = "in_app"

    def send(self, notification: Notification) -> None:
        return None


class EmailChannel(Channel):
    """Django's mail backend, to recipients with an e-mail address."""

    name = "email"

    def send(self, notification: Notification) -> None:
        address = notification.recipient.email
        if not address:
            return
        body = notification.body
        if notification.link:
            base = getattr(settings, "SITE_URL", "").rstrip("/")
            body = f"{body}\n\n{base}{notification.link}"
        send_mail(
            subject=notification.title,
            message=body,
            from_email=None,
            recipient_list=[address],
            fail_silently=False,
        )


@cache
def _load(paths: tuple[str, ...]) -> tuple[Channel, ...]:
    return tuple(import_string(path)() for path in paths)


def configured_channels() -> tuple[Channel, ...]:
    paths = tuple(getattr(settings, "NOTIFICATION_CHANNELS", DEFAULT_CHANNELS))
    return _load(paths)


def deliver(notification: Notification) -> None:
    """Hand the notification to every configured channel; one failing channel does not stop
    the others (the in-app row exists whatever happens)."""
    for channel in configured_channels():
        try:
            channel.send(notification)
        except Exception:
            logger.exception("notification %s: channel %s failed", notification.pk, channel.name)
