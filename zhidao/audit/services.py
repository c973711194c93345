"""The only write path of the audit app: appending access events."""

from axes.helpers import get_client_ip_address
from django.contrib.auth import get_user_model

from zhidao.core.scoping import unguarded_call

from .models import AccessEvent, AccessEventKind


@unguarded_call
def client_ip(request) -> str | None:
    """The client's address as axes sees it, so lockouts and the audit log agree.

    Without a configured proxy count this is REMOTE_ADDR: a client-sent X-Forwarded-For
    header must not be able to write an arbitrary address into the audit log.
    """
    if request is None:
        return None
    return getattr(request, "axes_ip_address", None) or get_client_ip_address(request)


@unguarded_call
def record_access_event(
    *,
    kind: AccessEventKind,
    request=None,
    user=None,
    username: str = "",
    detail: str = "",
) -> AccessEvent:
    if user is None and request is not None:
        user = getattr(request, "user", None)  # every event of a request has its actor
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if user is not None and not username:
        username = user.get_username()
    user_agent = request.META.get("HTTP_USER_AGENT", "") if request is not None else ""
    if request is not None:
        # The download middleware logs no second event for a response already accounted for.
        request.audit_access_recorded = True
    return AccessEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or "")[:150],
        ip_address=client_ip(request),
        user_agent=user_agent[:255],
        detail=detail[:500],
    )


@unguarded_call
def record_failed_login(*, request, username: str) -> AccessEvent:
    """A failed attempt; the account it aimed at, when it exists, puts it in an admin's scope."""
    user = get_user_model()._default_manager.filter(username=username).first() if username else None
    # axes handles user_login_failed before this app (it is installed first) and flags the
    # request when this failure reached the limit or came in during a lockout.
    locked = bool(getattr(request, "axes_locked_out", False))
    return record_access_event(
        kind=AccessEventKind.LOCKED_OUT if locked else AccessEventKind.LOGIN_FAILED,
        request=request,
        user=user,
        username=username,
    )
