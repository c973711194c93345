from django import template
from django.utils import timezone

from zhidao.core import usercache
from zhidao.notifications.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """The unread count for the top-bar badge: one COUNT query, kept on the request and in the
    user's cache (zhidao/core/usercache.py: a notification created or read drops it)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    if not hasattr(request, "_unread_notifications"):
        request._unread_notifications = usercache.cached(
            request, "unread_notifications", lambda: unread_count(user), today=timezone.localdate()
        )
    return request._unread_notifications
