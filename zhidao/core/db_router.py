"""Heavy reads on the read replica, everything else on the primary.

When `DATABASE_REPLICA_URL` is set, settings add a "replica" database alias and this router.
Reads go to the replica only where a view or a block asks for it (`@replica_reads`,
`with use_replica():` — the dashboards, statistics, exports and the upward report), and even
there they stay on the primary:

- inside a transaction on the primary (`transaction.atomic()`): a read that a write depends on
  must see the primary's rows, and the replica cannot take part in the transaction;
- after the block itself wrote (an INSERT, UPDATE or DELETE on the primary, such as an export's
  job row): the rest of the block reads its own writes. Audit records (an export's access
  event, a change-log entry, their chain links) are the exception: nothing in the block reads
  them back, so an export writes its audit entry first and still reads its rows from the
  replica;
- for a few seconds after the user's own successful POST/PUT/PATCH/DELETE
  (`ReplicaStickinessMiddleware` keeps a signed cookie): the page after a save shows the save,
  whatever the replica's lag.

Writes always go to the primary; migrations run on the primary only (the replica replays them).
"""

from __future__ import annotations

import contextvars
import functools
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
COOKIE = "zhidao_wrote_at"
_COOKIE_SALT = "zhidao.core.db_router.wrote_at"
_WRITES = ("INSERT", "UPDATE", "DELETE", "MERGE")
# The target of a write statement as Django's backends spell it.
_WRITE_TARGET = re.compile(
    r'^\s*\(?\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|MERGE\s+INTO)\s+"?(\w+)"?', re.I
)
# Tables written on the side that no read in a replica block depends on.
_AUDIT_TABLES = frozenset(
    {"audit_accessevent", "auditlog_logentry", "audit_chainlink", "audit_chainhead"}
)
_SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


@dataclass
class _Reads:
    """The state of one `use_replica()` block (or of a request, for `primary_only`)."""

    replica: bool = False
    wrote: bool = False  # the block wrote on the primary: read the rest from there


_request_primary_only: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "zhidao_request_primary_only", default=False
)
_reads: contextvars.ContextVar[_Reads | None] = contextvars.ContextVar(
    "zhidao_replica_reads", default=None
)


def replica_alias_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_configured() -> bool:
    """A replica alias exists and replica reads are on (the tests turn them off but in the
    replica tests: a lagging replica would make them flaky)."""
    return replica_alias_configured() and getattr(settings, "REPLICA_READS", True)


def in_transaction() -> bool:
    return connections[DEFAULT_DB_ALIAS].in_atomic_block


def read_your_writes_seconds() -> int:
    return int(getattr(settings, "REPLICA_READ_YOUR_WRITES_SECONDS", 5))


def _is_write(sql: str) -> bool:
    return sql.lstrip().lstrip("(").lstrip()[:6].upper().startswith(_WRITES)


def _is_write_read_back(sql: str) -> bool:
    """A write the rest of the block may read back (any write but an audit record's)."""
    if not _is_write(sql):
        return False
    target = _WRITE_TARGET.match(sql)
    return target is None or target.group(1).lower() not in _AUDIT_TABLES


@contextmanager
def use_replica() -> Iterator[None]:
    """Reads in this block may go to the replica (see the module's docstring for when not)."""
    state = _Reads(replica=True)
    token = _reads.set(state)

    def watch(execute, sql, params, many, context):
        if _is_write_read_back(sql):
            state.wrote = True
        return execute(sql, params, many, context)

    try:
        with connections[DEFAULT_DB_ALIAS].execute_wrapper(watch):
            yield
    finally:
        _reads.reset(token)


def replica_reads(view: Callable) -> Callable:
    """A view decorator: the view's reads may go to the replica. Put it next to the function,
    under the permission check (which reads from the primary)."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with use_replica():
            return view(*args, **kwargs)

    return wrapped


def replica_read_allowed() -> bool:
    """Whether a read right now may go to the replica."""
    state = _reads.get()
    if state is None or not state.replica or state.wrote:
        return False
    if _request_primary_only.get() or not replica_configured():
        return False
    return not in_transaction()


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        instance = hints.get("instance")
        if instance is not None and instance._state.db == DEFAULT_DB_ALIAS:
            # Related rows of an object read from the primary come from the primary too.
            return DEFAULT_DB_ALIAS
        return REPLICA if replica_read_allowed() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS


def _wrote_recently(request) -> bool:
    try:
        request.get_signed_cookie(COOKIE, salt=_COOKIE_SALT, max_age=read_your_writes_seconds())
    except (KeyError, signing.BadSignature):
        return False
    return True


class ReplicaStickinessMiddleware:
    """Read your own writes: after a user's successful POST/PUT/PATCH/DELETE a signed cookie
    keeps that browser's requests on the primary for REPLICA_READ_YOUR_WRITES_SECONDS."""

    def __init__(self, get_response):
        if not replica_alias_configured():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        token = _request_primary_only.set(_wrote_recently(request))
        try:
            response = self.get_response(request)
        finally:
            _request_primary_only.reset(token)
        if request.method not in _SAFE_METHODS and response.status_code < 400:
            seconds = read_your_writes_seconds()
            response.set_signed_cookie(
                COOKIE,
                str(int(time.time())),
                salt=_COOKIE_SALT,
                max_age=seconds,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
