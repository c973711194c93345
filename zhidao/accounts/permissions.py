"""Predicates shared by the apps' `rules.py`: who holds which role, who administers an object of
a federation, and which objects a scoped selector shows.

A permission is asked two ways (`zhidao.core.permissions`): without an object ("may the user open
this list or this create page at all?") and with one ("may the user do this to that row?").
The scoped predicates below answer both: without an object they ask the role, with one they
ask the selector.
"""

from collections.abc import Callable

import rules
from django.db.models import QuerySet

from zhidao.accounts.scope import scope_of


def federation_path_of(obj) -> str | None:
    """The materialized path that decides who administers the object."""
    if obj is None:
        return None
    if hasattr(obj, "path") and hasattr(obj, "depth"):
        return obj.path
    if hasattr(obj, "batch"):
        return obj.batch.federation.path
    federation = getattr(obj, "federation", None)
    return federation.path if federation is not None else None


@rules.predicate
def is_superuser(user) -> bool:
    return scope_of(user).is_superuser


@rules.predicate
def is_federation_admin(user) -> bool:
    scope = scope_of(user)
    return scope.is_federation_admin or scope.is_superuser


@rules.predicate
def is_federation_staff(user) -> bool:
    """Admins and (read-only) leaders of a federation."""
    scope = scope_of(user)
    return scope.is_federation_staff or scope.is_superuser


@rules.predicate
def is_instructor(user) -> bool:
    return scope_of(user).is_instructor


@rules.predicate
def is_union_officer(user) -> bool:
    return scope_of(user).is_union_officer


@rules.predicate
def is_rights_staff(user) -> bool:
    return scope_of(user).is_rights_staff


@rules.predicate
def is_system_admin(user) -> bool:
    return scope_of(user).is_system_admin


@rules.predicate
def is_security_admin(user) -> bool:
    return scope_of(user).is_security_admin


@rules.predicate
def is_audit_admin(user) -> bool:
    return scope_of(user).is_audit_admin


# Everybody who does something in the programme; a federation leader only reads (DESIGN.md
# "Who uses it"), so a leader with no other role takes part in nothing.
takes_part = is_instructor | is_union_officer | is_federation_admin


@rules.predicate
def administers(user, obj) -> bool:
    """The user is a federation admin of a federation at or above the object's federation."""
    scope = scope_of(user)
    if scope.is_superuser:
        return True
    path = federation_path_of(obj)
    return path is not None and scope.can_administer_path(path)


def visible_through(
    selector: Callable[..., QuerySet], *, listed_for: rules.Predicate = rules.is_authenticated
) -> rules.Predicate:
    """With an object: the scoped selector returns it (one query). Without one: the user may
    open the list at all (`listed_for`; a scoped list shows only the user's rows anyway)."""

    @rules.predicate(name=f"visible_through_{selector.__name__}")
    def predicate(user, obj) -> bool:
        if obj is None:
            return bool(listed_for(user))
        return selector(user).filter(pk=obj.pk).exists()

    return predicate


def on_object(
    predicate: rules.Predicate, *, listed_for: rules.Predicate = rules.is_authenticated
) -> rules.Predicate:
    """With an object: `predicate` on it. Without one: `listed_for` (may the user open the page
    of such rows at all, e.g. the officer's confirmations)."""

    @rules.predicate(name=f"on_object_{predicate.name}")
    def check(user, obj) -> bool:
        if obj is None:
            return bool(listed_for(user))
        return bool(predicate(user, obj))

    return check
