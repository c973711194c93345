"""The workbench (工作台) as the home page, the API and the navigation badges read it: the items
every app's provider contributes (zhidao/core/workbench.py), once per request, and kept for the
next requests of the same user in its per-user cache (zhidao/core/usercache.py)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from django.utils import timezone

from zhidao.accounts.scope import scope_of
from zhidao.core import usercache, workbench
from zhidao.core.workbench import Item


@dataclass(frozen=True)
class Card:
    """An item as the page shows it, with its deadline countdown."""

    item: Item
    days_left: int | None

    @property
    def is_overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def days_late(self) -> int:
        return -self.days_left if self.days_left is not None else 0


def items_kept_for(scope) -> bool:
    """Whether the user's items may be kept in its per-user cache: an instructor's only. Every
    change of an instructor's items by somebody else comes with a notification to the
    instructor, which drops the cache; a union officer is not told of a new day to confirm, an
    admin of a leave request, the rights staff of a new appeal."""
    return scope.is_instructor and not (
        scope.is_union_officer
        or scope.is_federation_staff
        or scope.is_rights_staff
        or scope.is_separated_admin
        or scope.is_superuser
    )


def items_for(request, *, today: date | None = None) -> list[Item]:
    """The user's items, from its per-user cache when warm (zhidao/core/usercache.py says what
    can be stale, and for how long); the navigation of the same page sums these."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    day = today or timezone.localdate()
    scope = scope_of(user)
    items = usercache.cached(
        request,
        "workbench",
        lambda: [
            # The label in the request's language (a key of the cache): a lazy string costs
            # more to unpickle than the rest of the item.
            replace(item, label=str(item.label))
            for item in workbench.collect(request, today=day, scope=scope)
        ],
        today=day,
        enabled=items_kept_for(scope),
    )
    if day == timezone.localdate():
        # The badges are the sums of the same items (the items only the home shows are actions
        # and this week's rule, never counted in a badge).
        request.__dict__.setdefault("_zhidao_workbench_badges", workbench.badges(items))
    return items


def cards(items: list[Item], *, today: date) -> list[Card]:
    return [Card(item, item.days_left(today) if item.count else None) for item in items]


def as_json(item: Item) -> dict:
    return {
        "kind": item.kind,
        "label": str(item.label),
        "count": item.count,
        "url": item.url,
        "urgent": item.is_urgent,
        "action": item.action,
        "due_on": item.due_on.isoformat() if item.due_on and item.count else None,
    }


def navigation_badges(request) -> dict[str, int]:
    """The badges of the navigation: the providers' counts summed per entry, from the per-user
    cache when warm; the home page's items are reused when the page read them already."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    badges = request.__dict__.get("_zhidao_workbench_badges")
    if badges is None:
        today = timezone.localdate()
        scope = scope_of(user)
        badges = request._zhidao_workbench_badges = usercache.cached(
            request,
            "badges",
            lambda: workbench.badges(
                workbench.collect(request, today=today, scope=scope, nav_only=True)
            ),
            today=today,
            enabled=items_kept_for(scope),
        )
    return badges
