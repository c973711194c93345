"""The second factor: enrolment with a QR code, the code at login, recovery codes.

Every page here is open to a logged-in session that has not passed its second factor yet
(SecondFactorMiddleware lets it through); the overview and new recovery codes need a session
that has passed it when the user has a device.
"""

from base64 import b32encode
from io import BytesIO
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login

from zhidao.core.permissions import permission_required

from . import second_factor, services
from .forms import OneTimeCodeForm
from .middleware import SECOND_FACTOR_SESSION_KEY

RECOVERY_CODES_SESSION_KEY = "zhidao_recovery_codes"


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "core:home"


def _passed(request) -> bool:
    return request.user.is_verified()


@permission_required("accounts.manage_second_factor")
def overview(request):
    """双重认证: whether the account has an authenticator, how many recovery codes are left."""
    user = request.user
    enrolled = second_factor.is_enrolled(user)
    if enrolled and not _passed(request):
        return redirect("accounts:otp_verify")
    return render(
        request,
        "accounts/otp_overview.html",
        {
            "enrolled": enrolled,
            "required": second_factor.is_required(user),
            "codes_left": second_factor.recovery_codes_left(user) if enrolled else 0,
        },
    )


@permission_required("accounts.manage_second_factor")
def setup(request):
    """Enrolment: a new key shown as a QR code, confirmed by the first code the app shows.

    A user who has an authenticator already must pass it first (a new phone replaces the old
    one only from a verified session)."""
    user = request.user
    if second_factor.is_enrolled(user) and not _passed(request):
        return redirect("accounts:otp_verify")
    device = second_factor.pending_device(user)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and device is not None and form.is_valid():
        try:
            codes = services.confirm_enrolment(
                user=user, device=device, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_error("code", error.message_dict.get("code", error.messages))
        else:
            otp_login(request, device)
            request.session[SECOND_FACTOR_SESSION_KEY] = "verify"
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            messages.success(request, _("Two-factor login is on for your account."))
            url = reverse("accounts:otp_recovery_codes")
            target = _next_url(request)
            if target != "core:home":
                url += "?" + urlencode({"next": target})
            return redirect(url)
    if device is None:
        device = services.start_enrolment(user=user)
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "secret": _spaced(device),
            "required": second_factor.is_required(user),
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
    )


def _spaced(device) -> str:
    """The key in base32, in groups of four, for typing it into the app by hand."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@permission_required("accounts.manage_second_factor")
def qr_code(request):
    """The pending key's otpauth:// address as an SVG QR code (served, not inline: CSP)."""
    user = request.user
    # The pending key is shown only to the session that may enrol (setup's own rule): a session
    # that has a password but not the current phone never sees the next phone's key.
    if second_factor.is_enrolled(user) and not _passed(request):
        raise Http404
    device = second_factor.pending_device(user)
    if device is None:
        raise Http404
    # A standalone SVG document (with its namespace; svg_inline's has none, for an <img> it
    # would be a broken image).
    buffer = BytesIO()
    segno.make(device.config_url, error="m").save(buffer, kind="svg", scale=5, border=2)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


@permission_required("accounts.manage_second_factor")
def verify(request):
    """The code at login: the authenticator's, or a recovery code (used up)."""
    user = request.user
    if _passed(request):
        return redirect(_next_url(request))
    if not second_factor.is_enrolled(user):
        return redirect("accounts:otp_setup")
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = second_factor.verify_code(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            if device.name == second_factor.RECOVERY_DEVICE_NAME:
                messages.warning(
                    request,
                    _(
                        "You logged in with a recovery code; %(left)d left. "
                        "Make new ones on the two-factor page."
                    )
                    % {"left": second_factor.recovery_codes_left(user)},
                )
            return redirect(_next_url(request))
        form.add_error(
            "code", _("The code is not correct, or it was used already. Try the current one.")
        )
    return render(
        request,
        "accounts/otp_verify.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
    )


@permission_required("accounts.manage_second_factor")
def recovery_codes(request):
    """The recovery codes just made, shown once (from the session, then forgotten); POST makes
    a new set (the old one stops working)."""
    if not second_factor.is_enrolled(request.user) or not _passed(request):
        return redirect("accounts:otp")
    if request.method == "POST":
        codes = services.new_recovery_codes(user=request.user)
    else:
        codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
        if not codes:
            return redirect("accounts:otp")
    return render(
        request,
        "accounts/otp_recovery_codes.html",
        {"codes": codes, "next": request.GET.get("next", "")},
    )
