"""Writes for accounts."""

from zhidao.core.scoping import use_case

from .models import User


@use_case
def change_password(*, user: User, new_password: str) -> None:
    """Set a password the user chose; this also lifts an administrator's forced change."""
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
