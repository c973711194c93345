"""Writes for accounts."""

import secrets

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from zhidao.core.scoping import use_case
from zhidao.core.services import validate_and_save

from .models import RoleGrant, User

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
