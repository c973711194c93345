"""Helpers every app's services share."""

from django.core.exceptions import ValidationError
from django.db import models

from zhidao.core.scoping import unguarded_call


@unguarded_call
def apply_changes(instance: models.Model, changes: dict) -> list[str]:
    """Set the given fields and return the names of those whose value really changed."""
    changed = []
    for name, value in changes.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


@unguarded_call
def validate_and_save(instance: models.Model, *, exclude_unique: bool = False) -> None:
    """full_clean before save, as every service does (HackSoft styleguide).

    `exclude_unique` leaves uniqueness (fields and constraints) to the database: a service that
    races a concurrent copy of the same write catches the IntegrityError and answers with the
    row that won, which a check before the insert cannot do."""
    instance.full_clean(validate_unique=not exclude_unique, validate_constraints=not exclude_unique)
    instance.save()


__all__ = ["ValidationError", "apply_changes", "validate_and_save"]
