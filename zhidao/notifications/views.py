from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhidao.core.pagination import paginate
from zhidao.core.permissions import permission_required

from . import selectors, services
from .channels import listed_channels
from .models import Delivery, DeliveryStatus, KindGroup, Notification


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


@permission_required("notifications.change_preferences")
def preferences(request):
    """Which outside channels get which kinds of notification, and the user's chat ids; the
    inbox itself always gets everything."""
    if request.method == "POST":
        enabled = {
            (group, channel.name)
            for group in KindGroup.values
            for channel in selectors.channel_choices(request.user)
            if request.POST.get(f"pref-{group}-{channel.name}") == "on"
        }
        services.save_preferences(
            user=request.user,
            enabled=enabled,
            wecom_userid=request.POST.get("wecom_userid", ""),
            dingtalk_userid=request.POST.get("dingtalk_userid", ""),
        )
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {
            "rows": selectors.preference_rows(request.user),
            "channels": selectors.channel_choices(request.user),
            "address": selectors.channel_address(request.user),
        },
    )


@permission_required("notifications.view_delivery")
def failed_deliveries(request):
    """Deliveries to the users of the admin's subtree that gave up (or wait for a retry)."""
    waiting = request.GET.get("status") == "waiting"
    page_obj = paginate(request, selectors.failed_deliveries(request.user, waiting=waiting))
    labels = {channel.name: channel.label for channel in listed_channels()}
    for delivery in page_obj:
        delivery.channel_label = labels.get(delivery.channel, delivery.channel)
    return render(
        request,
        "notifications/deliveries.html",
        {"page_obj": page_obj, "waiting": waiting},
    )


@require_POST
@permission_required("notifications.retry_delivery", Delivery)
def retry_delivery(request, pk: int):
    delivery = get_object_or_404(selectors.deliveries_retryable_by(request.user), pk=pk)
    delivery = services.retry_delivery(actor=request.user, delivery=delivery)
    if delivery.status == DeliveryStatus.SENT:
        messages.success(request, _("The message was sent."))
    else:
        messages.warning(
            request,
            _("The message could not be sent yet: %(error)s") % {"error": delivery.last_error},
        )
    return redirect("notifications:failed_deliveries")
