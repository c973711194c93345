"""Scoped reads of the audit log.

The audit administrator reads what the people of its subtree did: the actors holding a role in a
federation of the subtree (or in a union of it) and the instructors of the subtree. The scope
is one subquery in the WHERE clause, so a page is a fixed number of queries.
"""

from datetime import date, datetime, time, timedelta

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from zhidao.accounts.models import RoleGrant
from zhidao.accounts.scope import scope_of
from zhidao.core.selectors import NOTHING, any_of, subtree_q

from .models import AccessEvent


def can_read_audit_log(user) -> bool:
    """Only the audit administrator (三员分立): not the federation admins, whose acts the log
    records, and not the superuser, who is for installation only."""
    return scope_of(user).is_audit_admin


def can_read_security_policy(user) -> bool:
    return scope_of(user).is_security_admin


def _people_of_subtrees_q(paths: tuple[str, ...], field: str) -> Q:
    """The user holds a role in a federation or union of the subtrees, or is an instructor there."""
    role_holders = RoleGrant.objects.filter(
        any_of(subtree_q(paths) + subtree_q(paths, "union__federation__path"))
    ).values("user_id")
    # Through the users' reverse relation: audit sits below dispatch, where Instructor is.
    instructors = (
        get_user_model()
        .objects.filter(any_of(subtree_q(paths, "instructor__federation__path")))
        .values("pk")
    )
    return Q(**{f"{field}__in": role_holders}) | Q(**{f"{field}__in": instructors})


def _people_condition(user, field: str) -> Q:
    """The people of the audit administrator's subtrees; the audit administrator of a top
    federation (path "0001.") also reads the acts of nobody (the system's own, the background
    tasks') and of the superusers (the installation). NOTHING for anyone else."""
    paths = scope_of(user).audit_admin_paths
    if not paths:
        return NOTHING
    condition = _people_of_subtrees_q(paths, field)
    if any(path.count(".") == 1 for path in paths):
        superusers = get_user_model().objects.filter(is_superuser=True).values("pk")
        condition |= Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__in": superusers})
    return condition


def log_entries_visible_to(user) -> QuerySet[LogEntry]:
    entries = LogEntry.objects.select_related("content_type", "actor")
    return entries.filter(_people_condition(user, "actor_id")).order_by("-timestamp", "-id")


def access_events_visible_to(user) -> QuerySet[AccessEvent]:
    events = AccessEvent.objects.select_related("user")
    return events.filter(_people_condition(user, "user_id")).order_by("-created_at", "-id")


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def time_range_q(field: str, date_from: date | None, date_to: date | None) -> Q:
    """Whole local days, both ends included."""
    condition = Q()
    if date_from:
        condition &= Q(**{f"{field}__gte": _day_start(date_from)})
    if date_to:
        condition &= Q(**{f"{field}__lt": _day_start(date_to + timedelta(days=1))})
    return condition


def actor_search_q(text: str, prefix: str) -> Q:
    text = (text or "").strip()
    if not text:
        return Q()
    return Q(**{f"{prefix}__username__icontains": text}) | Q(
        **{f"{prefix}__full_name__icontains": text}
    )


def filter_log_entries(
    entries: QuerySet[LogEntry],
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    action: int | None = None,
    content_type_id: int | None = None,
    actor: str = "",
) -> QuerySet[LogEntry]:
    entries = entries.filter(time_range_q("timestamp", date_from, date_to))
    if action is not None:
        entries = entries.filter(action=action)
    if content_type_id:
        entries = entries.filter(content_type_id=content_type_id)
    return entries.filter(actor_search_q(actor, "actor"))


def filter_access_events(
    events: QuerySet[AccessEvent],
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    kind: str = "",
    actor: str = "",
) -> QuerySet[AccessEvent]:
    events = events.filter(time_range_q("created_at", date_from, date_to))
    if kind:
        events = events.filter(kind=kind)
    text = (actor or "").strip()
    if text:
        events = events.filter(actor_search_q(text, "user") | Q(username__icontains=text))
    return events
