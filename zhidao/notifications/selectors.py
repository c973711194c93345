from dataclasses import dataclass

from django.db.models import QuerySet

from zhidao.accounts.models import User

from .channels import listed_channels
from .models import (
    ChannelAddress,
    ChannelPreference,
    Delivery,
    DeliveryStatus,
    KindGroup,
    Notification,
)


def notifications_visible_to(user: User) -> QuerySet[Notification]:
    """Only one's own notifications: anybody else's is a 404."""
    return Notification.objects.visible_to(user)


def inbox(
    user: User, *, unread_only: bool = False, kind: str | None = None
) -> QuerySet[Notification]:
    """The user's notifications, newest first; `kind` narrows it to one room's (the appeals
    staff page shows the escalations)."""
    notifications = notifications_visible_to(user).order_by("-created_at", "-id")
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    if kind is not None:
        notifications = notifications.filter(kind=kind)
    return notifications


def unread_count(user: User, *, kind: str | None = None) -> int:
    """One COUNT on the (recipient, read_at) index."""
    unread = notifications_visible_to(user).filter(read_at__isnull=True)
    if kind is not None:
        unread = unread.filter(kind=kind)
    return unread.count()


@dataclass(frozen=True)
class ChannelChoice:
    name: str
    label: str
    configured: bool
    reachable: bool
    needs: str


@dataclass(frozen=True)
class PreferenceRow:
    group: str
    label: str
    cells: list[tuple[ChannelChoice, bool]]


def channel_choices(user: User) -> list[ChannelChoice]:
    """Every listed outside channel, whether the platform has it set up and whether the user
    has the address it needs (the preferences page greys out the others)."""
    address = ChannelAddress.objects.visible_to(user).first()
    has = {
        "email": bool(user.email),
        "sms": bool(user.phone),
        "wecom": bool(address and address.wecom_userid),
        "dingtalk": bool(address and address.dingtalk_userid),
    }
    return [
        ChannelChoice(
            name=channel.name,
            label=str(channel.label),
            configured=channel.configured(),
            reachable=has.get(channel.name, True),
            needs=str(channel.needs),
        )
        for channel in listed_channels()
        if channel.external
    ]


def preference_rows(user: User) -> list[PreferenceRow]:
    """Per group of kinds, each outside channel and whether it is on (the user's choice, else
    the channel's default); one query for the choices."""
    chosen = {
        (group, channel): enabled
        for group, channel, enabled in ChannelPreference.objects.visible_to(user).values_list(
            "group", "channel", "enabled"
        )
    }
    defaults = {channel.name: channel.default_enabled for channel in listed_channels()}
    choices = channel_choices(user)
    return [
        PreferenceRow(
            group=group,
            label=str(label),
            cells=[
                (
                    choice,
                    choice.configured
                    and chosen.get((group, choice.name), defaults.get(choice.name, True)),
                )
                for choice in choices
            ],
        )
        for group, label in KindGroup.choices
    ]


def channel_address(user: User) -> ChannelAddress:
    return ChannelAddress.objects.visible_to(user).first() or ChannelAddress(user=user)


def deliveries_visible_to(user: User, action: str = "view") -> QuerySet[Delivery]:
    return Delivery.objects.visible_to(user, action)


def deliveries_retryable_by(user: User) -> QuerySet[Delivery]:
    return Delivery.objects.visible_to(user, "change")


def failed_deliveries(user: User, *, waiting: bool = False) -> QuerySet[Delivery]:
    """The admin's page: deliveries to the users of its subtree that gave up (or, `waiting`,
    that failed at least once and wait for their next attempt), newest first."""
    deliveries = deliveries_visible_to(user)
    if waiting:
        deliveries = deliveries.filter(status=DeliveryStatus.PENDING, attempts__gt=0)
    else:
        deliveries = deliveries.filter(status=DeliveryStatus.FAILED)
    return deliveries.select_related("notification__recipient").order_by("-updated_at", "-id")
