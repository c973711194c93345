"""The security administrator's page (安全策略): the policy in force — passwords, lockout,
sessions, second factor, API tokens, administrators' login networks — and the accounts of its
subtree with their second factor, each of which it may reset (audited)."""

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhidao.core.pagination import paginate
from zhidao.core.permissions import permission_required

from . import selectors, services


def policy_rows() -> list[tuple[str, str]]:
    """The settings in force, as label and value (read from the settings, never typed twice)."""
    minutes = settings.AXES_COOLOFF_TIME.total_seconds() // 60
    networks = ", ".join(settings.ADMIN_LOGIN_ALLOWED_NETWORKS) or _("Any address")
    return [
        (
            _("Passwords"),
            _(
                "At least 8 characters with three of upper, lower, digit and symbol; "
                "not the username; not a common password."
            ),
        ),
        (
            _("Lockout"),
            _(
                "%(failures)d failed logins lock the username and the address "
                "for %(minutes)d minutes."
            )
            % {"failures": settings.AXES_FAILURE_LIMIT, "minutes": minutes},
        ),
        (
            _("Sessions"),
            _(
                "Ended after %(idle)d minutes without activity, "
                "and %(hours)d hours after the login at the latest."
            )
            % {
                "idle": settings.SESSION_COOKIE_AGE // 60,
                "hours": settings.SESSION_ABSOLUTE_LIFETIME // 3600,
            },
        ),
        (
            _("Two-factor login"),
            _(
                "Required for federation admins, rights-protection staff, "
                "the system, security and audit administrators and superusers."
            )
            if settings.REQUIRE_2FA
            else _(
                "Offered to everybody, required of nobody "
                "(set REQUIRE_2FA=true; production always requires it)."
            ),
        ),
        (
            _("API tokens"),
            _(
                "Expire %(days)d days after they were issued; "
                "revoked by their user or the system administrator."
            )
            % {"days": settings.API_TOKEN_DAYS},
        ),
        (_("Administrators' login networks"), networks),
    ]


@permission_required("people.view_security")
def security(request):
    text = request.GET.get("q", "")
    page_obj = paginate(request, selectors.security_accounts(request.user, text=text))
    return render(
        request,
        "people/security.html",
        {"policy": policy_rows(), "page_obj": page_obj, "q": text},
    )


def _reset_permission(view):
    """The account among those whose second factor the user may reset (404 otherwise), then
    the permission on it (403): the platform's order (core/permissions.py)."""

    @functools.wraps(view)
    def wrapper(request, pk: int):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        account = selectors.second_factor_accounts_of(request.user).filter(pk=pk).first()
        if account is None:
            raise Http404
        if not request.user.has_perm("people.reset_second_factor", account):
            raise PermissionDenied
        return view(request, account)

    wrapper.required_permission = "people.reset_second_factor"  # type: ignore[attr-defined]
    return wrapper


@require_POST
@_reset_permission
def reset_second_factor(request, account):
    try:
        removed = services.reset_second_factor(actor=request.user, account=account)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if removed:
            messages.success(
                request,
                _(
                    "The second factor of %(name)s was reset; "
                    "the account enrols again at its next login."
                )
                % {"name": account},
            )
        else:
            messages.info(request, _("%(name)s had no second factor.") % {"name": account})
    return redirect("people:security")
