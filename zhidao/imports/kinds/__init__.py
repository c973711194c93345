"""The import kinds, by their key in the URLs (`/api/imports/<kind>/`)."""

from __future__ import annotations

from .base import ImportKind

_KINDS: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> ImportKind:
    _KINDS[kind.key] = kind
    return kind


def get_kind(key: str) -> ImportKind | None:
    _load()
    return _KINDS.get(key)


def all_kinds() -> list[ImportKind]:
    _load()
    order = ["federations", "organizations", "unions", "instructors", "assignments"]
    return sorted(
        _KINDS.values(), key=lambda kind: order.index(kind.key) if kind.key in order else 99
    )


def _load() -> None:
    # Each kind's module registers itself when imported; importing them here keeps the order
    # of registration out of the apps' start-up.
    from . import assignments, federations, instructors, organizations, unions  # noqa: F401
