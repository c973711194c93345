from django.db.models import QuerySet

from zhidao.accounts.models import User

from .models import Notification


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
