from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhidao.core.pagination import paginate
from zhidao.core.permissions import permission_required

from . import selectors, services
from .models import Notification


@permission_required("notifications.view_notification")
def inbox(request):
    """The user's own notifications, newest first."""
    unread_only = request.GET.get("unread") == "1"
    page_obj = paginate(request, selectors.inbox(request.user, unread_only=unread_only))
    return render(
        request,
        "notifications/inbox.html",
        {"page_obj": page_obj, "unread_only": unread_only},
    )


@require_POST
@permission_required("notifications.change_notification", Notification)
def mark_read(request, pk: int):
    notification = get_object_or_404(selectors.notifications_visible_to(request.user), pk=pk)
    services.mark_read(notification=notification)
    target = request.POST.get("next") or ""
    if target == "link" and notification.link.startswith("/") and "//" not in notification.link:
        return redirect(notification.link)
    return redirect("notifications:inbox")


@require_POST
@permission_required("notifications.change_notification")
def mark_all_read(request):
    count = services.mark_all_read(recipient=request.user)
    messages.success(request, _("%(count)s notifications marked as read.") % {"count": count})
    return redirect("notifications:inbox")
