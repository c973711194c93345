"""Scoped querysets: every domain model declares once how it is scoped, and gets
`Model.objects.visible_to(user, action)` from this one implementation (NetBox's
RestrictedQuerySet.restrict(user, action), pretix's ScopedManager).

A model declares the paths that lead from it to
- its federation's tree path (federation staff see a subtree: admins and leaders view, admins
  change; rights-protection staff view where the model says so),
- its instructor's id (the instructor sees its own rows),
- its union's id (a union officer sees its union's rows),

and which of these may do what (`view`, `change`, or a model's own action such as `confirm`).
A path through a to-many relation becomes a `pk IN (…)` subquery, so rows are never repeated.

In a request the guard is on (ScopeGuardMiddleware): evaluating a scoped model's queryset that
was not made by `visible_to()` raises UnscopedQuery, so an unscoped read cannot reach a page or
the API by mistake. Reached through a related object already in hand (`assignment.
organizations.all()`, a prefetch) a queryset is allowed; so are `exists()` checks (a boolean,
which uniqueness checks need). Services — the use cases that check their actor's rights
themselves — run under `@use_case`, background tasks and commands have no guard at all, and an
explicit `.unscoped()` says, in the code, where a read is deliberately not scoped.

The user's scope (paths, instructor, unions) is computed by the accounts app, which registers
it here at start-up: core sits below accounts and does not import it.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models import Q
from django.db.models.constants import LOOKUP_SEP

from .selectors import NOTHING, any_of

VIEW = "view"
CHANGE = "change"


class UserScope(Protocol):
    admin_paths: tuple[str, ...]
    leader_paths: tuple[str, ...]
    rights_paths: tuple[str, ...]
    union_ids: tuple[int, ...]
    instructor_id: int | None
    is_superuser: bool


_scope_provider: Callable[[Any], UserScope] | None = None


def register_scope_provider(provider: Callable[[Any], UserScope]) -> None:
    global _scope_provider
    _scope_provider = provider


def scope_for(user) -> UserScope:
    if _scope_provider is None:  # pragma: no cover - accounts registers it in ready()
        raise RuntimeError("no scope provider registered (is zhidao.accounts installed?)")
    return _scope_provider(user)


# ----- the guard -----

_guard: contextvars.ContextVar[bool] = contextvars.ContextVar("zhidao_scope_guard", default=False)


class UnscopedQuery(Exception):
    """A scoped model was queried in a request without visible_to() or unscoped()."""


@contextmanager
def guarded():
    token = _guard.set(True)
    try:
        yield
    finally:
        _guard.reset(token)


@contextmanager
def unguarded():
    """For code that checks rights itself: services (see use_case), tasks, migrations."""
    token = _guard.set(False)
    try:
        yield
    finally:
        _guard.reset(token)


def guard_is_on() -> bool:
    return _guard.get()


def use_case(function: Callable) -> Callable:
    """A service function: one transaction, and reads of its own — it checks its actor's
    rights itself (PermissionDenied for a role, ValidationError for state and input)."""
    atomic = transaction.atomic(function)

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with unguarded():
            return atomic(*args, **kwargs)

    return wrapper


def unguarded_call(function: Callable) -> Callable:
    """Like use_case, without a transaction of its own (a service managing its own)."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with unguarded():
            return function(*args, **kwargs)

    return wrapper


class ScopeGuardMiddleware:
    """Turns the guard on for the request (not for the admin site, the superuser's tool)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/"):
            return self.get_response(request)
        with guarded():
            return self.get_response(request)


# ----- declarations -----


@dataclass(frozen=True)
class Scoping:
    """How a model is scoped. Paths are ORM lookups from the model.

    `roles` maps an action to who may do it: "admin" and "leader" through `federation`,
    "rights" (rights-protection staff) through `federation`, "instructor" through
    `instructor`, "union" through `union`. `also(user, scope, action)` adds a model's own
    condition (a Q, or None for nothing more), for rules no path expresses.
    """

    federation: str | None = None
    instructor: str | None = None
    union: str | None = None
    roles: dict[str, frozenset[str]] = field(
        default_factory=lambda: {
            VIEW: frozenset({"admin", "leader", "instructor", "union"}),
            CHANGE: frozenset({"admin"}),
        }
    )
    also: Callable[[Any, UserScope, str], Q | None] | None = None


def roles(**actions: Iterable[str]) -> dict[str, frozenset[str]]:
    return {action: frozenset(who) for action, who in actions.items()}


@functools.cache
def _through_many(model: type[models.Model], path: str) -> bool:
    current = model
    for part in path.split(LOOKUP_SEP):
        try:
            related = current._meta.get_field(part)
        except FieldDoesNotExist:
            return False  # a transform or the last "_id" part
        if not related.is_relation:
            return False
        if related.many_to_many or related.one_to_many:
            return True
        current = related.related_model
    return False


def _condition(model: type[models.Model], path: str, lookup: str, value) -> Q:
    condition = Q(**{f"{path}__{lookup}" if lookup else path: value})
    if _through_many(model, path):
        # pk IN (…): a row reached through several links is still one row
        return Q(pk__in=model._base_manager.filter(condition).values("pk"))
    return condition


def scope_condition(model: type[models.Model], user, action: str = VIEW) -> Q | None:
    """The Q of the rows the user may `action`; None for every row (a superuser).

    A superuser is the admin of every federation, not anybody's instructor or union officer:
    it gets every row for the actions admins may take (and the models' own ones), none for an
    action that is only an instructor's or an officer's (check in, confirm, record).
    """
    scoping: Scoping = model.scoping
    if user is None or not getattr(user, "is_authenticated", False):
        return NOTHING
    scope = scope_for(user)
    allowed = scoping.roles.get(action, frozenset())
    if scope.is_superuser and (action not in scoping.roles or "admin" in allowed):
        return None
    conditions: list[Q] = []
    if scoping.federation:
        paths: tuple[str, ...] = ()
        if "admin" in allowed:
            paths += scope.admin_paths
        if "leader" in allowed:
            paths += scope.leader_paths
        if "rights" in allowed:
            paths += scope.rights_paths
        conditions += [_condition(model, scoping.federation, "startswith", p) for p in paths]
    if scoping.instructor and "instructor" in allowed and scope.instructor_id is not None:
        conditions.append(_condition(model, scoping.instructor, "", scope.instructor_id))
    if scoping.union and "union" in allowed and scope.union_ids:
        conditions.append(_condition(model, scoping.union, "in", scope.union_ids))
    if scoping.also is not None:
        also = scoping.also(user, scope, action)
        if also is not None:
            conditions.append(also)
    return any_of(conditions)


class ScopedQuerySet(models.QuerySet):
    _scope_ok = False

    def visible_to(self, user, action: str = VIEW) -> ScopedQuerySet:
        """The rows the user may `action` (view by default)."""
        condition = scope_condition(self.model, user, action)
        queryset = self if condition is None else self.filter(condition)
        queryset = queryset._clone()
        queryset._scope_ok = True
        return queryset

    def none(self) -> ScopedQuerySet:
        queryset = super().none()
        queryset._scope_ok = True  # nothing to leak
        return queryset

    def unscoped(self) -> ScopedQuerySet:
        """Every row, on purpose: the caller has checked what it may show."""
        queryset = self._clone()
        queryset._scope_ok = True
        return queryset

    def _clone(self):
        clone = super()._clone()
        clone._scope_ok = self._scope_ok
        return clone

    def _check_scope(self) -> None:
        if self._scope_ok or not _guard.get() or self._hints.get("instance") is not None:
            return
        raise UnscopedQuery(
            f"{self.model.__name__} queried without a scope in a request: "
            f"use {self.model.__name__}.objects.visible_to(user) (or .unscoped() on purpose)"
        )

    def _fetch_all(self):
        if self._result_cache is None:
            self._check_scope()
        super()._fetch_all()

    def iterator(self, *args, **kwargs):
        self._check_scope()
        return super().iterator(*args, **kwargs)

    def count(self):
        self._check_scope()
        return super().count()

    def aggregate(self, *args, **kwargs):
        self._check_scope()
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs):
        self._check_scope()
        return super().update(**kwargs)

    def delete(self):
        self._check_scope()
        return super().delete()


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):  # type: ignore[misc]
    """The default manager of a scoped model (its `scoping` says how)."""


def visible(model: type[models.Model], action: str = VIEW) -> Callable[[Any], ScopedQuerySet]:
    """A callable user → queryset, for APIs that take one (ModelChoice fields, filters)."""

    def rows(user) -> ScopedQuerySet:
        return model._default_manager.visible_to(user, action)

    rows.__name__ = f"{model.__name__.lower()}_{action}"
    return rows
