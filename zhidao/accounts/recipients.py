"""Who is told about a hand-off: the holders of a role over a federation path or a union.

Reads of accounts only, by tree path (no import of the orgs app): the apps above pick the path
of their object (the report's issuing federation, the finding's union) and call these.
"""

from django.db.models import QuerySet

from .models import Role, User


def _ancestor_paths(path: str) -> list[str]:
    """The path and those of its ancestors (each tree level is 5 characters of the path)."""
    return [path[:end] for end in range(5, len(path) + 1, 5)]


def _active(users: QuerySet[User]) -> QuerySet[User]:
    return users.filter(is_active=True).distinct().order_by("pk")


def nearest_federation_admins(path: str) -> list[User]:
    """The admins of the federation at `path`, or, where it has none, of the nearest federation
    above it that has: the office that reviews, not every admin up to the province."""
    for candidate in reversed(_ancestor_paths(path)):
        admins = list(
            _active(
                User.objects.filter(
                    role_grants__role=Role.FEDERATION_ADMIN,
                    role_grants__federation__path=candidate,
                )
            )
        )
        if admins:
            return admins
    return []


def rights_staff_over(path: str) -> list[User]:
    """Rights-protection staff of the federation at `path` and of its ancestors."""
    return list(
        _active(
            User.objects.filter(
                role_grants__role=Role.RIGHTS_STAFF,
                role_grants__federation__path__in=_ancestor_paths(path),
            )
        )
    )


def union_officers(union_id: int | None) -> list[User]:
    """The officers of one union (none when the organization has no union)."""
    if union_id is None:
        return []
    return list(
        _active(
            User.objects.filter(
                role_grants__role=Role.UNION_OFFICER, role_grants__union_id=union_id
            )
        )
    )
