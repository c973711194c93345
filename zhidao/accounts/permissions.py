"""Predicates shared by the apps' `rules.py`: who may administer an object of a federation."""

import rules

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
def is_federation_admin(user) -> bool:
    scope = scope_of(user)
    return scope.is_federation_admin or scope.is_superuser


@rules.predicate
def administers(user, obj) -> bool:
    """The user is a federation admin of a federation at or above the object's federation."""
    scope = scope_of(user)
    if scope.is_superuser:
        return True
    path = federation_path_of(obj)
    return path is not None and scope.can_administer_path(path)


def visible_through(selector):
    """A predicate true when the scoped selector returns the object (one query)."""

    @rules.predicate(name=f"visible_through_{selector.__name__}")
    def predicate(user, obj) -> bool:
        if obj is None:
            return False
        return selector(user).filter(pk=obj.pk).exists()

    return predicate
