"""The workbench (工作台) as the home page, the API and the navigation badges read it: the items
every app's provider contributes (zhidao/core/workbench.py), once per request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from zhidao.accounts.scope import scope_of
from zhidao.core import workbench
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


def items_for(request, *, today: date | None = None) -> list[Item]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return workbench.collect(request, today=today or timezone.localdate(), scope=scope_of(user))


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
    """The badges of the navigation: the providers' counts summed per entry; the home page's
    items are reused when the page computed them already."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    cached = request.__dict__.get("_zhidao_workbench_badges")
    if cached is None:
        items = workbench.collect(
            request, today=timezone.localdate(), scope=scope_of(user), nav_only=True
        )
        cached = request._zhidao_workbench_badges = workbench.badges(items)
    return cached
