"""Refresh the summary rows after every write that changes a figure, once the write commits.

Receivers note what changed (an assignment and a range of days, an instructor's days for leave,
every assignment for a holiday edit) while the transaction runs; one callback per transaction
sends the notes to the background task (tasks.py) once it commits, and the task rebuilds only
those weeks. A write that rolls back sends nothing. The models lower in the layout never import
this app: it listens to their signals."""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from datetime import date

from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver

from zhidao.dispatch.models import Assignment, AssignmentOrganization
from zhidao.fieldwork.models import Finding, LeaveRequest, OnSiteDay, PracticalMatter, WorkRecord
from zhidao.holidays.models import CalendarDay
from zhidao.orgs.models import Organization

from .facts import local_day
from .tasks import refresh_noted

log = logging.getLogger(__name__)
_notes = threading.local()


class _Flush:
    """The on-commit callback of one transaction, holding what it noted. A rollback drops the
    callback (Django discards it), and with it the notes: nothing is sent for them."""

    def __init__(self) -> None:
        self.marks: dict[tuple[str, int | None], tuple[date | None, date | None]] = {}
        self.sent = False

    def __call__(self) -> None:
        marks, self.marks, self.sent = self.marks, {}, True
        if not marks:
            return
        payload = [
            [kind, key, first.isoformat() if first else None, last.isoformat() if last else None]
            for (kind, key), (first, last) in marks.items()
        ]
        try:
            refresh_noted.delay(payload)
        except Exception:  # the broker is down: the nightly refresh catches up
            log.exception("figures refresh could not be queued")


def _pending_flush() -> _Flush | None:
    """The callback this (sub)transaction has registered already, if any: notes made at the
    same savepoint depth share one task."""
    connection = transaction.get_connection()
    here = set(connection.savepoint_ids)
    for sids, callback, _robust in connection.run_on_commit:
        if isinstance(callback, _Flush) and not callback.sent and sids == here:
            return callback
    return None


@contextmanager
def refresh_paused():
    """Note nothing while a bulk load writes (it rebuilds the rows itself afterwards)."""
    _notes.paused = getattr(_notes, "paused", 0) + 1
    try:
        yield
    finally:
        _notes.paused -= 1


def note(kind: str, key: int | None, *days: date | None) -> None:
    """Remember that the figures of (kind, key) changed on these days; sent once the
    transaction commits (at once outside one).

    kind: "assignment" (key: its id), "term" (an assignment's whole term), "instructor"
    (leave: the instructor's assignments), "organization" (its assignments' whole terms),
    "all" (a holiday: every assignment running that day), "federation" (its roll-up rows:
    an organization of it was added, moved or changed status)."""
    if getattr(_notes, "paused", 0):
        return
    days = tuple(day for day in days if day is not None)
    if not days and kind not in ("term", "organization", "federation"):
        return
    in_transaction = transaction.get_connection().in_atomic_block
    flush = _pending_flush() if in_transaction else None
    created = flush is None
    flush = flush or _Flush()
    first, last = flush.marks.get((kind, key), (None, None))
    for day in days:
        first = day if first is None or day < first else first
        last = day if last is None or day > last else last
    flush.marks[(kind, key)] = (first, last)
    if created:
        transaction.on_commit(flush, robust=True)  # outside a transaction: runs now


def _remember(instance, *names: str) -> None:
    # From __dict__ only: reading a deferred field here would cost a query per row loaded.
    instance._figures_origin = tuple(instance.__dict__.get(name) for name in names)


def _origin(instance) -> tuple:
    return getattr(instance, "_figures_origin", ())


# ----- records dated by a day -----

_DATED = {
    OnSiteDay: ("assignment_id", "on_date"),
    WorkRecord: ("assignment_id", "worked_on"),
    PracticalMatter: ("assignment_id", "completed_on"),
}


def _dated_init(sender, instance, **kwargs) -> None:
    _remember(instance, *_DATED[sender])


def _dated_changed(sender, instance, **kwargs) -> None:
    owner_field, day_field = _DATED[sender]
    note("assignment", getattr(instance, owner_field), getattr(instance, day_field))
    origin = _origin(instance)
    if origin and origin[0] is not None:
        note("assignment", origin[0], origin[1])


for _model in _DATED:
    post_init.connect(_dated_init, sender=_model, dispatch_uid=f"figures-init-{_model.__name__}")
    post_save.connect(_dated_changed, sender=_model, dispatch_uid=f"figures-{_model.__name__}")
    post_delete.connect(
        _dated_changed, sender=_model, dispatch_uid=f"figures-del-{_model.__name__}"
    )


@receiver(post_init, sender=Finding, dispatch_uid="figures-init-finding")
def _finding_init(sender, instance, **kwargs) -> None:
    _remember(instance, "assignment_id", "found_on")


@receiver(post_save, sender=Finding, dispatch_uid="figures-finding")
@receiver(post_delete, sender=Finding, dispatch_uid="figures-del-finding")
def _finding_changed(sender, instance, **kwargs) -> None:
    closed_on = local_day(instance.closed_at) if instance.closed_at else None
    note("assignment", instance.assignment_id, instance.found_on, closed_on)
    origin = _origin(instance)
    if origin and origin[0] is not None:
        note("assignment", origin[0], origin[1])


# ----- leave, assignments, holidays, organizations -----


@receiver(post_init, sender=LeaveRequest, dispatch_uid="figures-init-leave")
def _leave_init(sender, instance, **kwargs) -> None:
    _remember(instance, "starts_on", "ends_on")


@receiver(post_save, sender=LeaveRequest, dispatch_uid="figures-leave")
@receiver(post_delete, sender=LeaveRequest, dispatch_uid="figures-del-leave")
def _leave_changed(sender, instance, **kwargs) -> None:
    note("instructor", instance.instructor_id, instance.starts_on, instance.ends_on)
    note("instructor", instance.instructor_id, *_origin(instance))


@receiver(post_save, sender=Assignment, dispatch_uid="figures-assignment")
def _assignment_changed(sender, instance, **kwargs) -> None:
    # Dates, status or the rule changed: its whole term (one assignment, at most ~53 weeks).
    note("term", instance.pk)


@receiver(post_save, sender=AssignmentOrganization, dispatch_uid="figures-link")
@receiver(post_delete, sender=AssignmentOrganization, dispatch_uid="figures-del-link")
def _link_changed(sender, instance, **kwargs) -> None:
    note("term", instance.assignment_id)


@receiver(post_save, sender=CalendarDay, dispatch_uid="figures-calendar")
@receiver(post_delete, sender=CalendarDay, dispatch_uid="figures-del-calendar")
def _calendar_changed(sender, instance, **kwargs) -> None:
    note("all", None, instance.date)


@receiver(post_init, sender=Organization, dispatch_uid="figures-init-organization")
def _organization_init(sender, instance, **kwargs) -> None:
    _remember(instance, "federation_id", "status")


@receiver(post_save, sender=Organization, dispatch_uid="figures-organization")
def _organization_changed(sender, instance, created, **kwargs) -> None:
    origin = _origin(instance)
    moved = not created and origin and origin[0] is not None and origin[0] != instance.federation_id
    if moved:
        # Its rows are attributed elsewhere now.
        note("organization", instance.pk)
        note("federation", origin[0])
    if created or moved or (origin and len(origin) > 1 and origin[1] != instance.status):
        # The federation's coverage counts its active organizations.
        note("federation", instance.federation_id)
    _remember(instance, "federation_id", "status")
