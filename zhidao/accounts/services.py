"""Writes for accounts."""

import secrets

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from rest_framework.authtoken.models import Token

from zhidao.core.scoping import use_case
from zhidao.core.services import validate_and_save

from .models import RoleGrant, User, UserSession

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
