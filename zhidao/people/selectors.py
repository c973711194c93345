"""Which accounts a federation admin sees and which it manages: the one rule of the room.

An admin sees an account that holds a role somewhere in the admin's subtrees (a federation
role of a federation there, the officer role of a union there, or an instructor whose record
belongs there); it manages an account all of whose roles lie there. An account with a role
elsewhere is shown read-only; a superuser account is neither shown nor managed. The superuser
(the installer) sees and manages every other account.
"""

from datetime import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from zhidao.accounts.models import Role, RoleGrant, User
from zhidao.accounts.scope import scope_of
from zhidao.core.selectors import any_of, subtree_q
from zhidao.dispatch.models import Instructor

# What the account pages may grant and revoke; an instructor's role comes with its record on
# the instructor pages.
MANAGED_ROLES = (
    Role.FEDERATION_ADMIN,
    Role.FEDERATION_LEADER,
    Role.RIGHTS_STAFF,
    Role.UNION_OFFICER,
)
FEDERATION_ROLES = (Role.FEDERATION_ADMIN, Role.FEDERATION_LEADER, Role.RIGHTS_STAFF)


def grants_in_subtrees_q(paths: tuple[str, ...], prefix: str = "") -> Q:
    """A grant whose federation, or whose union's federation, lies in one of the subtrees."""
    return any_of(
        subtree_q(paths, f"{prefix}federation__path")
        + subtree_q(paths, f"{prefix}union__federation__path")
    )


def _non_superusers() -> QuerySet[User]:
    return User.objects.filter(is_superuser=False)


def accounts_visible_to(user) -> QuerySet[User]:
    scope = scope_of(user)
    if scope.is_superuser:
        return _non_superusers()
    paths = scope.admin_paths
    if not paths:
        return User.objects.none()
    holders = RoleGrant.objects.filter(grants_in_subtrees_q(paths)).values("user_id")
    instructors = Instructor.objects.unscoped().filter(any_of(subtree_q(paths))).values("user_id")
    return _non_superusers().filter(Q(pk__in=holders) | Q(pk__in=instructors))


def accounts_managed_by(user) -> QuerySet[User]:
    """The accounts the user may edit, grant roles to, deactivate, reset and unlock."""
    scope = scope_of(user)
    visible = accounts_visible_to(user)
    if scope.is_superuser or not scope.admin_paths:
        return visible
    paths = scope.admin_paths
    # A pk subquery, not a negated join: a union grant has no federation, and NOT over a
    # NULL comparison would drop it from "elsewhere".
    inside = RoleGrant.objects.filter(grants_in_subtrees_q(paths)).values("pk")
    elsewhere = (
        RoleGrant.objects.exclude(role=Role.INSTRUCTOR).exclude(pk__in=inside).values("user_id")
    )
    instructors_elsewhere = (
        Instructor.objects.unscoped().exclude(any_of(subtree_q(paths))).values("user_id")
    )
    return visible.exclude(pk__in=elsewhere).exclude(pk__in=instructors_elsewhere)


def manages(user, account: User) -> bool:
    return accounts_managed_by(user).filter(pk=account.pk).exists()


def _with_roles(accounts: QuerySet[User]) -> QuerySet[User]:
    grants = RoleGrant.objects.select_related("federation", "union__federation").order_by(
        "role", "federation__path", "union__name", "pk"
    )
    return accounts.select_related("instructor__federation").prefetch_related(
        Prefetch("role_grants", queryset=grants)
    )


def account_list(user) -> QuerySet[User]:
    return _with_roles(accounts_visible_to(user)).order_by("username", "pk")


def account_detail(user) -> QuerySet[User]:
    return _with_roles(accounts_visible_to(user))


def lockout_cutoff() -> datetime:
    return timezone.now() - settings.AXES_COOLOFF_TIME


def locked_usernames(usernames: list[str]) -> set[str]:
    """Which of the usernames django-axes locks out now: AXES_FAILURE_LIMIT failures within
    the cool-off time (README "Five failed logins lock the username")."""
    if not usernames:
        return set()
    failures = (
        AccessAttempt.objects.filter(username__in=usernames, attempt_time__gte=lockout_cutoff())
        .values("username")
        .annotate(failures=Sum("failures_since_start"))
    )
    return {row["username"] for row in failures if row["failures"] >= settings.AXES_FAILURE_LIMIT}


def managed_among(user, accounts: list[User]) -> set[int]:
    """The pks of the listed accounts the user manages (one query for a page of them)."""
    return set(
        accounts_managed_by(user)
        .filter(pk__in=[account.pk for account in accounts])
        .values_list("pk", flat=True)
    )
