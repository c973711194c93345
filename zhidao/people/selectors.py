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
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhidao.accounts.models import (
    FEDERATION_SCOPED_ROLES,
    SEPARATED_ADMIN_ROLES,
    Role,
    RoleGrant,
    User,
)
from zhidao.accounts.scope import scope_of
from zhidao.core.selectors import any_of, subtree_q
from zhidao.dispatch.models import Instructor
from zhidao.orgs.models import Federation, Union

# What the account pages may grant and revoke; an instructor's role comes with its record on
# the instructor pages.
MANAGED_ROLES = (
    Role.FEDERATION_ADMIN,
    Role.FEDERATION_LEADER,
    Role.RIGHTS_STAFF,
    Role.UNION_OFFICER,
    *SEPARATED_ADMIN_ROLES,
)
FEDERATION_ROLES = FEDERATION_SCOPED_ROLES


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
    return _accounts_in(scope.account_admin_paths)


def _accounts_in(paths: tuple[str, ...]) -> QuerySet[User]:
    """The accounts holding a role in the subtrees (or an instructor record there)."""
    if not paths:
        return User.objects.none()
    holders = RoleGrant.objects.filter(grants_in_subtrees_q(paths)).values("user_id")
    instructors = Instructor.objects.unscoped().filter(any_of(subtree_q(paths))).values("user_id")
    return _non_superusers().filter(Q(pk__in=holders) | Q(pk__in=instructors))


def second_factor_accounts_of(user) -> QuerySet[User]:
    """The accounts whose second factor the security administrator may reset: those of its
    subtrees, itself not included (its own is reset by another security administrator)."""
    scope = scope_of(user)
    return _accounts_in(scope.security_admin_paths).exclude(pk=user.pk)


def security_accounts(user, *, text: str = "") -> QuerySet[User]:
    """The security page's list: the accounts of its subtrees with their second factor."""
    accounts = second_factor_accounts_of(user).annotate(
        has_second_factor=Exists(TOTPDevice.objects.filter(user_id=OuterRef("pk"), confirmed=True))
    )
    text = (text or "").strip()
    if text:
        accounts = accounts.filter(Q(username__icontains=text) | Q(full_name__icontains=text))
    return accounts.order_by("-has_second_factor", "username", "pk")


def accounts_managed_by(user) -> QuerySet[User]:
    """The accounts the user may edit, grant roles to, deactivate, reset and unlock."""
    scope = scope_of(user)
    visible = accounts_visible_to(user)
    paths = scope.account_admin_paths
    if scope.is_superuser or not paths:
        return visible
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


def grantable_federations(user) -> QuerySet[Federation]:
    """The federations the user may give a role in: those of its account subtrees (a federation
    admin's or the system administrator's), every one for the superuser."""
    scope = scope_of(user)
    federations = Federation.objects.unscoped()
    if scope.is_superuser:
        return federations.all()
    return federations.filter(any_of(subtree_q(scope.account_admin_paths, "path")))


def account_base_depth(user) -> int:
    """The depth of the user's topmost account subtree, so the federation tree is indented
    from there."""
    scope = scope_of(user)
    if scope.is_superuser or not scope.account_admin_paths:
        return 0
    return min(path.count(".") for path in scope.account_admin_paths) - 1


def grantable_unions(user) -> QuerySet[Union]:
    scope = scope_of(user)
    unions = Union.objects.unscoped()
    if scope.is_superuser:
        return unions.all()
    return unions.filter(any_of(subtree_q(scope.account_admin_paths)))


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
