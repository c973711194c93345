"""Who is asked for a second factor, and checking one (TOTP with django-otp; recovery codes are
django-otp's static tokens, each used once).

The policy (SECURITY.md "Two-factor"): where settings.REQUIRE_2FA is on (always in production),
federation admins, rights-protection staff, the three administrators and superusers must pass a
second factor; anybody else may enrol, and whoever has enrolled is asked at every login.
"""

import ipaddress

from django.conf import settings
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .scope import scope_of

RECOVERY_DEVICE_NAME = "recovery"
AUTHENTICATOR_NAME = "authenticator"


def is_required(user) -> bool:
    """The user must have (and pass) a second factor here."""
    return bool(settings.REQUIRE_2FA) and scope_of(user).requires_second_factor


def is_enrolled(user) -> bool:
    """The user has a confirmed authenticator app."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_asked(user) -> bool:
    """The login needs a second factor: required by the role, or chosen by the user."""
    return is_required(user) or user_has_device(user)


def verify_code(user, code: str):
    """The device the code belongs to (a recovery code is used up), or None."""
    code = "".join((code or "").split()).lower()
    if not code:
        return None
    return match_token(user, code)


def pending_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def recovery_codes_left(user) -> int:
    device = StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME).first()
    return device.token_set.count() if device is not None else 0


def is_administrator(user) -> bool:
    """Whose logins ADMIN_LOGIN_ALLOWED_NETWORKS limits."""
    scope = scope_of(user)
    return bool(scope.is_superuser or scope.admin_paths or scope.is_separated_admin)


def login_address_allowed(user, address: str | None) -> bool:
    """An administrator logs in only from the allowed networks, when they are set."""
    networks = settings.ADMIN_LOGIN_ALLOWED_NETWORKS
    if not networks or not is_administrator(user):
        return True
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(network, strict=False) for network in networks)
