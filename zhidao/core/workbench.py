"""The workbench (工作台): what waits for the user, contributed by every app.

Each app describes its to-do items once, in its `workbench.py`, and registers a provider here:

    register(provider, order=20)

A provider is `provider(user, scope, today) -> list[Item]`: the items of the roles the user
holds (none for the others; the superuser, for installation only, holds none), each counted
with one aggregate query over `Model.objects.visible_to(user, ...)`, and linked to the list
page filtered (with the list's own FilterSet parameters) to exactly the rows counted, or to
the one item itself. `nav=False` keeps a provider's items off the navigation badges (computed
on every page; a status such as this week's on-site rule is not a badge).

The `zhidao.dashboard` app imports every installed app's `workbench` module at start-up (so lower
apps never import a higher one), shows the items on the home page and in `GET /api/workbench/`,
and sums them per navigation entry for the badges, once per request (`collect`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

URGENT = "urgent"
NORMAL = "normal"


@dataclass(frozen=True)
class Item:
    kind: str  # a stable key: clients (a 企业微信 card) recognise the item by it
    label: Any  # a (lazy) translated string
    count: int
    url: str
    urgency: str = NORMAL
    # The navigation entry whose badge counts this item ("" for none).
    nav: str = ""
    # An action of today (签到, 签退): shown as a button rather than a count.
    action: bool = False
    # The nearest deadline of the rows counted, for a countdown.
    due_on: date | None = None
    # A few short lines shown under the count, each (state, text): this week's state of each
    # assignment.
    details: Sequence[tuple[str, str]] = ()

    @property
    def is_urgent(self) -> bool:
        return self.urgency == URGENT and self.count > 0

    def days_left(self, today: date) -> int | None:
        return None if self.due_on is None else (self.due_on - today).days


def list_url(name: str, *args: Any, **params: Any) -> str:
    """A list page's URL with its FilterSet's parameters."""
    url = reverse(name, args=args or None)
    return f"{url}?{urlencode(params)}" if params else url


Provider = Callable[[Any, Any, date], list[Item]]


@dataclass(frozen=True)
class _Registered:
    provider: Provider
    order: int
    nav: bool = True
    name: str = field(default="")


_registry: list[_Registered] = []


def register(provider: Provider, *, order: int = 50, nav: bool = True) -> Provider:
    """Add a provider (idempotent: a module imported twice registers once)."""
    name = f"{provider.__module__}.{provider.__qualname__}"
    if not any(entry.name == name for entry in _registry):
        _registry.append(_Registered(provider, order, nav, name))
        _registry.sort(key=lambda entry: (entry.order, entry.name))
    return provider


def providers(*, nav_only: bool = False) -> list[_Registered]:
    return [entry for entry in _registry if entry.nav or not nav_only]


def collect(request, *, today: date, scope, nav_only: bool = False) -> list[Item]:
    """The items of the request's user, each provider run at most once per request (the page,
    the API and the navigation badges share the results)."""
    cache: dict[str, list[Item]] = request.__dict__.setdefault("_zhidao_workbench", {})
    items: list[Item] = []
    seen: set[str] = set()
    for entry in providers(nav_only=nav_only):
        if entry.name not in cache:
            cache[entry.name] = entry.provider(request.user, scope, today)
        for item in cache[entry.name]:
            if item.kind not in seen:  # a user of two roles sees an item once
                seen.add(item.kind)
                items.append(item)
    return items


def badges(items: Sequence[Item]) -> dict[str, int]:
    """The sum of the counts per navigation entry, and `home` for everything waiting."""
    totals: dict[str, int] = {}
    for item in items:
        if item.action or not item.nav:
            continue
        totals[item.nav] = totals.get(item.nav, 0) + item.count
        totals["home"] = totals.get("home", 0) + item.count
    return totals
