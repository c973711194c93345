from django.db.models import QuerySet

from .models import Notification


def notifications_visible_to(user) -> QuerySet[Notification]:
    """Only one's own notifications: anybody else's is a 404."""
    return Notification.objects.visible_to(user)


def inbox(user, *, unread_only: bool = False) -> QuerySet[Notification]:
    notifications = notifications_visible_to(user).order_by("-created_at", "-id")
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications


def unread_count(user) -> int:
    """One COUNT on the (recipient, read_at) index."""
    return notifications_visible_to(user).filter(read_at__isnull=True).count()
