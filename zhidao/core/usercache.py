"""Per-user cache of what every page shows the signed-in user about their own work: the
workbench's items and the navigation's badges (zhidao/dashboard/workbench.py), the unread
notification count of the top bar, the instructor's "My assignments".

Computed with the same scoped selectors as without the cache, for the request's own user, and
stored under `(user id, today, language, name)` with the user's version beside the value, used
only while that version is current: never shared between users, never a rendered page (no CSRF
token is ever stored), and a new day or another language is another key. Values are plain data
(items, numbers, small dataclasses), never querysets.

The user's version is a random token that `bump(user_id)` replaces (at once, and again after the
transaction commits), which makes every entry of that user unreachable at once. It is bumped

- after every unsafe request (POST, PUT, PATCH, DELETE) of the signed-in user, pages and API
  alike (`UserWriteMiddleware`): the user's own writes show on its next page;
- whenever `notify()` is called for the user (a notification created, or one of the same cause
  already there), and when the user's notifications are marked read: every hand-off that
  changes somebody's to-do list notifies them (field work's and the reports' handoffs.py, an
  appeal's assignment), so the other party's act shows on their next page too.

The workbench items and badges are kept for instructors only (dashboard/workbench.py,
`items_kept_for`): every hand-off that changes an instructor's items notifies the instructor.
An officer's, an admin's or the rights staff's items change without a word to them (a new day
to confirm when the instructor checks in, a leave request, a new appeal), so theirs are
computed on every page: "the officer sees the day to confirm within seconds of the check-in".

What can be stale, for at most `DATA_TTL` (60 s) after the change: a count or row changed by
somebody else without a notification to this user. For an instructor: an assignment created,
ended or edited by the admin, a role granted or revoked (the items, not the permissions: the
scope itself is never cached here), a change made by a background task or a management
command. Unsafe requests never read or fill the cache, so a page rendered after a
write in the same request is computed fresh.

With the development settings' LocMem cache each process has its own cache: a bump reaches the
process it ran in only, and the other processes' entries expire after `DATA_TTL`. Production's
Redis is shared by all workers. `USER_CACHE = False` (the tests but those marked "user_cache")
computes every value on every request.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils import translation

T = TypeVar("T")

# How long a cached value may be served without a bump (see the module's docstring).
DATA_TTL = 60
# Longer than DATA_TTL: a version that expired can only orphan entries that expired before it.
VERSION_TTL = 24 * 3600
# Part of every key: a deployment that changes what a value holds changes this.
SCHEMA = "1"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def _version_key(user_id: int) -> str:
    return f"zhidao:user:{user_id}:version"


def bump_now(user_id: int) -> None:
    """A new version at once: every cached value of the user is out of reach."""
    cache.set(_version_key(user_id), secrets.token_hex(8), VERSION_TTL)


def bump(user_id: int | None) -> None:
    """A new version now, and again once the caller's transaction commits: a page computed
    from the rows before the commit, after the first bump, is stored under a version the
    second one replaces. (A rollback leaves a needless bump, which costs one recomputation.)"""
    if user_id is None:
        return
    bump_now(user_id)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: bump_now(user_id), robust=True)


def current_version(user_id: int) -> str:
    version = cache.get(_version_key(user_id))
    return version if version is not None else _new_version(user_id)


def _new_version(user_id: int) -> str:
    # add(): of two requests that find none, both go on with the one that was stored.
    cache.add(_version_key(user_id), secrets.token_hex(8), VERSION_TTL)
    return cache.get(_version_key(user_id)) or "none"


# The names asked for so far in this process: each request reads all of them with the version
# in one round trip to the cache, as the navigation, the top bar and the page each ask for one.
_known_names: set[str] = set()


def _data_key(user_id: int, today: date, language: str, name: str) -> str:
    return f"zhidao:user:{user_id}:{today.isoformat()}:{language}:{SCHEMA}:{name}"


def _request_state(request: HttpRequest, user_id: int, today: date, language: str) -> dict:
    """The version and the values read for this request, once per request: the parts of one
    page agree with each other."""
    state = request.__dict__.get("_zhidao_user_cache")
    if state is None or state["for"] != (today, language):
        keys = {name: _data_key(user_id, today, language, name) for name in _known_names}
        found = cache.get_many([_version_key(user_id), *keys.values()])
        version = found.get(_version_key(user_id))
        if version is None:
            version = _new_version(user_id)
        state = {
            "for": (today, language),
            "version": version,
            "fetched": set(keys),
            "values": {name: found[key] for name, key in keys.items() if key in found},
        }
        request._zhidao_user_cache = state  # type: ignore[attr-defined]
    return state


def cached(
    request: HttpRequest,
    name: str,
    compute: Callable[[], T],
    *,
    today: date,
    enabled: bool = True,
) -> T:
    """The request user's value `name` for `today`, computed by `compute()` on a miss.

    `compute` must read as the request's user and return plain picklable data. Anonymous users
    and unsafe requests always compute, and so does a caller that passes `enabled=False` (a
    value whose changes are not all told to the user). A value is stored with the version read
    before it was computed: a bump during the computation leaves it unused."""
    user = getattr(request, "user", None)
    if (
        not enabled
        or not settings.USER_CACHE
        or user is None
        or not user.is_authenticated
        or request.method not in SAFE_METHODS
    ):
        return compute()
    _known_names.add(name)
    language = translation.get_language() or ""
    state = _request_state(request, user.pk, today, language)
    key = _data_key(user.pk, today, language, name)
    if name not in state["fetched"]:  # a name this process had not asked for before
        state["fetched"].add(name)
        entry = cache.get(key)
        if entry is not None:
            state["values"][name] = entry
    entry = state["values"].get(name)
    if entry is not None and entry[0] == state["version"]:
        return entry[1]
    value = compute()
    state["values"][name] = (state["version"], value)
    cache.set(key, state["values"][name], DATA_TTL)
    return value


class UserWriteMiddleware:
    """After an unsafe request of a signed-in user, that user's cached values are dropped
    (`bump`), whether the view answered with success or not: a view may have written before
    it refused the rest (an offline batch of which one entry was refused), and a needless
    bump only costs one recomputation. Placed after the authentication middleware; the API's
    token authentication sets the request's user inside the view, which is read afterwards."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        if request.method not in SAFE_METHODS:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                bump(user.pk)
        return response
