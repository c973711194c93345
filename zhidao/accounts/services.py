"""Writes for accounts."""

from django.db import transaction

from .models import User


@transaction.atomic
def change_password(*, user: User, new_password: str) -> None:
    """Set a password the user chose; this also lifts an administrator's forced change."""
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
