"""Writes for accounts."""

import secrets

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from zhidao.core.scoping import use_case
from zhidao.core.services import validate_and_save

from . import second_factor
from .models import RoleGrant, User, UserSession
from .tokens import token_expired

# No 0/O, 1/l/I: a one-time password is read off a screen or a sheet of paper and typed in.
_PASSWORD_ALPHABETS = ("abcdefghijkmnpqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789", "@#%+=")


@use_case
def change_password(*, user: User, new_password: str) -> None:
    """Set a password the user chose; this also lifts an administrator's forced change."""
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])


def generate_one_time_password(length: int = 12) -> str:
    """A random password that meets the password rules (every character class, 12 long)."""
    characters = [secrets.choice(alphabet) for alphabet in _PASSWORD_ALPHABETS]
    everything = "".join(_PASSWORD_ALPHABETS)
    characters += [secrets.choice(everything) for _ in range(length - len(characters))]
    secrets.SystemRandom().shuffle(characters)
    return "".join(characters)


@use_case
def create_account_with_role(
    *,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    federation=None,
    union=None,
    must_change_password: bool = False,
) -> User:
    """A new login account holding one role. The password is checked against the password
    rules; errors come back at `username` and `password`."""
    user = User(
        username=(username or "").strip(),
        full_name=full_name,
        must_change_password=must_change_password,
    )
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        raise ValidationError(
            {"username": error.message_dict.get("username", error.messages)}
        ) from None
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as error:
        raise ValidationError({"password": error.error_list}) from None
    user.set_password(password)
    user.save()
    validate_and_save(RoleGrant(user=user, role=role, federation=federation, union=union))
    return user


@use_case
def end_sessions_and_tokens(*, user: User) -> int:
    """Every session of the account ends now (its next request goes to the login page) and its
    API tokens stop working. Returns how many sessions there were."""
    ended, _by_model = UserSession.objects.filter(account_id=user.pk).delete()
    Token.objects.filter(user=user).delete()
    return ended


@use_case
def current_token(*, user: User) -> Token:
    """The user's API token, a new one if it had none or if it has expired."""
    token = Token.objects.filter(user=user).first()
    if token is not None and token_expired(token):
        token.delete()
        token = None
    if token is None:
        token = Token.objects.create(user=user)
    return token


@use_case
def revoke_tokens(*, user: User) -> int:
    """The account's API tokens stop working now; returns how many there were."""
    revoked, _by_model = Token.objects.filter(user=user).delete()
    return revoked


@use_case
def set_login_allowed(*, user: User, allowed: bool) -> bool:
    """Let the account log in or not; a refused account is signed out everywhere at once.
    Returns whether anything changed."""
    if user.is_active == allowed:
        if not allowed:
            end_sessions_and_tokens(user=user)
        return False
    user.is_active = allowed
    user.save(update_fields=["is_active"])
    if not allowed:
        end_sessions_and_tokens(user=user)
    return True


@use_case
def set_one_time_password(*, user: User) -> str:
    """A new one-time password the user must replace at the next login; the sessions and tokens
    made with the old one end. The password is returned to be shown once and is kept nowhere."""
    password = generate_one_time_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    end_sessions_and_tokens(user=user)
    return password


@use_case
def start_enrolment(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator key for the user (its QR code is shown once it exists);
    an earlier unconfirmed one is replaced. The confirmed device, if any, stays until the new one
    is confirmed."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(
        user=user, name=second_factor.AUTHENTICATOR_NAME, confirmed=False
    )


@use_case
def confirm_enrolment(*, user: User, device: TOTPDevice, code: str) -> list[str]:
    """The code from the app proves the key was taken: the device becomes the user's one
    authenticator and a new set of recovery codes is returned (to be shown once)."""
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError({"code": _("Start the enrolment again.")})
    if not device.verify_token("".join((code or "").split())):
        raise ValidationError(
            {"code": _("The code is not correct. Enter the code the app shows now.")}
        )
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_recovery_codes(user=user)


@use_case
def new_recovery_codes(*, user: User) -> list[str]:
    """A new set of one-time recovery codes; the earlier set stops working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(
        user=user, name=second_factor.RECOVERY_DEVICE_NAME, confirmed=True
    )
    codes = [StaticToken.random_token() for _ in range(settings.OTP_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@use_case
def reset_second_factor(*, user: User) -> int:
    """The account's authenticator and recovery codes are removed (a lost phone), and its
    sessions end: it enrols again at the next login. Returns how many devices there were.
    The security administrator's act is audited by the caller (people/services.py)."""
    removed = TOTPDevice.objects.filter(user=user).count()
    removed += StaticDevice.objects.filter(user=user).count()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    end_sessions_and_tokens(user=user)
    return removed
