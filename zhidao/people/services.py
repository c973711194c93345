"""Writes of account administration: each use case takes its actor, checks that the actor
manages the account (selectors.accounts_managed_by, the rule of the room) and that any scope it
grants lies in the actor's own subtrees, and records an access event with the actor.

The audit log (django-auditlog) records the User and RoleGrant changes themselves; the access
event says which admin did what to which account, and is also kept for the acts that change no
row of ours (an unlock deletes axes' attempts).
"""

from axes.utils import reset as reset_lockout
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from zhidao.accounts import services as account_services
from zhidao.accounts.models import SEPARATED_ADMIN_ROLES, Role, RoleGrant, User
from zhidao.accounts.scope import scope_of
from zhidao.audit.models import AccessEventKind
from zhidao.audit.services import record_access_event
from zhidao.core.scoping import use_case
from zhidao.core.services import apply_changes, validate_and_save
from zhidao.dispatch import services as dispatch_services
from zhidao.dispatch.models import InstructorStatus
from zhidao.orgs.models import Federation, Union

from . import selectors


def _describe(account: User) -> str:
    name = f" ({account.full_name})" if account.full_name else ""
    return f"account {account.pk} {account.username}{name}"


def _describe_grant(grant: RoleGrant) -> str:
    where = grant.federation or grant.union
    return f"{grant.role} @ {where}" if where is not None else grant.role


def _record(kind: AccessEventKind, *, actor: User, account: User, detail: str = "") -> None:
    text = _describe(account) + (f": {detail}" if detail else "")
    record_access_event(kind=kind, user=actor, detail=text)


def _check_is_admin(actor: User) -> None:
    scope = scope_of(actor)
    if not (scope.is_superuser or scope.account_admin_paths):
        raise PermissionDenied(
            _("Only federation admins and system administrators manage accounts.")
        )


def _check_manages(actor: User, account: User) -> None:
    _check_is_admin(actor)
    if account.is_superuser or not selectors.manages(actor, account):
        raise PermissionDenied(_("This account is not within your federation's subtree."))


def _check_scope(
    actor: User, *, role: str, federation: Federation | None, union: Union | None
) -> None:
    """The role is one the account pages give, with the scope it needs, inside the actor's
    subtrees (never above its own federation)."""
    if role not in selectors.MANAGED_ROLES:
        raise ValidationError({"role": _("Instructors get their role on the instructor pages.")})
    if role in selectors.FEDERATION_ROLES:
        if federation is None:
            raise ValidationError({"federation": _("Choose the federation of this role.")})
        path = federation.path
    else:
        if union is None:
            raise ValidationError({"union": _("Choose the union of this role.")})
        path = union.federation.path
    scope = scope_of(actor)
    if not (scope.is_superuser or scope.can_administer_accounts_at(path)):
        raise PermissionDenied(_("You can only grant roles within your own federation's subtree."))
    if role in SEPARATED_ADMIN_ROLES and not (scope.is_superuser or scope.is_system_admin):
        raise PermissionDenied(
            _(
                "Only the system administrator gives "
                "the system, security and audit administrator roles."
            )
        )


def _check_separated(account: User, role: str) -> None:
    """A separated administrator's account holds that one role (三员分立): no second
    administrator duty, and no part in the programme."""
    held = set(account.role_grants.values_list("role", flat=True))
    if not held:
        return
    separated = role in SEPARATED_ADMIN_ROLES or held & set(SEPARATED_ADMIN_ROLES)
    if separated and held != {role}:
        raise ValidationError(
            {
                "role": _(
                    "A system, security or audit administrator's account holds that role "
                    "only. Use a separate account for other work."
                )
            }
        )


def _clean_phone(phone: str) -> str:
    return dispatch_services.normalize_work_phone(phone)


@use_case
def create_account(
    *,
    actor: User,
    username: str,
    role: str,
    full_name: str = "",
    phone: str = "",
    federation: Federation | None = None,
    union: Union | None = None,
) -> tuple[User, str]:
    """A new account with one role in the actor's subtree and a one-time password, returned to
    be shown once; the account must set its own password at the first login."""
    _check_is_admin(actor)
    if role in selectors.FEDERATION_ROLES:
        union = None
    elif role == Role.UNION_OFFICER:
        federation = None
    _check_scope(actor, role=role, federation=federation, union=union)
    phone = _clean_phone(phone)
    password = account_services.generate_one_time_password()
    account = account_services.create_account_with_role(
        username=username,
        password=password,
        role=role,
        full_name=(full_name or "").strip(),
        federation=federation,
        union=union,
        must_change_password=True,
    )
    if phone:
        account.phone = phone
        account.save(update_fields=["phone"])
    grant = account.role_grants.get()
    _record(
        AccessEventKind.ACCOUNT_CREATED, actor=actor, account=account, detail=_describe_grant(grant)
    )
    return account, password


@use_case
def update_account(*, actor: User, account: User, **changes) -> list[str]:
    """The account's full name and phone (an instructor's name is its record's, on the
    instructor pages, and follows from there)."""
    _check_manages(actor, account)
    unknown = set(changes) - {"full_name", "phone"}
    if unknown:
        raise ValidationError(_("Only the full name and the phone can be changed here."))
    if "phone" in changes:
        changes["phone"] = _clean_phone(changes["phone"])
    if "full_name" in changes:
        changes["full_name"] = (changes["full_name"] or "").strip()
    changed = apply_changes(account, changes)
    if changed:
        account.full_clean(exclude=["password"])
        account.save(update_fields=changed)
        _record(
            AccessEventKind.ACCOUNT_CHANGED, actor=actor, account=account, detail=",".join(changed)
        )
    return changed


@use_case
def grant_role(
    *,
    actor: User,
    account: User,
    role: str,
    federation: Federation | None = None,
    union: Union | None = None,
) -> RoleGrant:
    _check_manages(actor, account)
    if role in selectors.FEDERATION_ROLES:
        union = None
    elif role == Role.UNION_OFFICER:
        federation = None
    _check_scope(actor, role=role, federation=federation, union=union)
    _check_separated(account, role)
    if RoleGrant.objects.filter(
        user=account, role=role, federation=federation, union=union
    ).exists():
        raise ValidationError({"role": _("The account already holds this role there.")})
    grant = RoleGrant(user=account, role=role, federation=federation, union=union)
    validate_and_save(grant)
    _record(
        AccessEventKind.ROLE_GRANTED, actor=actor, account=account, detail=_describe_grant(grant)
    )
    return grant


@use_case
def revoke_role(*, actor: User, grant: RoleGrant) -> None:
    account = grant.user
    _check_manages(actor, account)
    if grant.role not in selectors.MANAGED_ROLES:
        raise ValidationError(
            _("An instructor's role ends with its record on the instructor pages.")
        )
    others = RoleGrant.objects.filter(user=account).exclude(pk=grant.pk)
    if not others.exists():
        raise ValidationError(
            _("This is the account's only role. Deactivate the account instead of revoking it.")
        )
    if (
        account.pk == actor.pk
        and grant.role == Role.FEDERATION_ADMIN
        and not others.filter(role=Role.FEDERATION_ADMIN).exists()
    ):
        raise ValidationError(_("You cannot revoke your own last admin role."))
    detail = _describe_grant(grant)
    grant.delete()
    _record(AccessEventKind.ROLE_REVOKED, actor=actor, account=account, detail=detail)


def _instructor_agrees(account: User, *, active: bool) -> None:
    """An instructor's status and its login go together (dispatch.update_instructor keeps the
    other direction)."""
    instructor = getattr(account, "instructor", None)
    if instructor is None:
        return
    status = InstructorStatus.ACTIVE if active else InstructorStatus.INACTIVE
    if instructor.status != status:
        dispatch_services.update_instructor(instructor=instructor, status=status)


@use_case
def deactivate_account(*, actor: User, account: User) -> None:
    """The account can no longer log in; its sessions and API tokens end at once."""
    _check_manages(actor, account)
    if account.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    if not account.is_active:
        raise ValidationError(_("The account is already deactivated."))
    account_services.set_login_allowed(user=account, allowed=False)
    _instructor_agrees(account, active=False)
    _record(AccessEventKind.ACCOUNT_DISABLED, actor=actor, account=account)


@use_case
def reactivate_account(*, actor: User, account: User) -> None:
    _check_manages(actor, account)
    if account.is_active:
        raise ValidationError(_("The account is already active."))
    account_services.set_login_allowed(user=account, allowed=True)
    _instructor_agrees(account, active=True)
    _record(AccessEventKind.ACCOUNT_ENABLED, actor=actor, account=account)


@use_case
def reset_password(*, actor: User, account: User) -> str:
    """A one-time password, returned to be shown once; the account must change it at the next
    login, and its sessions and tokens end now."""
    _check_manages(actor, account)
    if account.pk == actor.pk:
        raise ValidationError(_("Change your own password on the password page."))
    password = account_services.set_one_time_password(user=account)
    _record(AccessEventKind.PASSWORD_RESET, actor=actor, account=account)
    return password


@use_case
def unlock_account(*, actor: User, account: User) -> int:
    """Forget the failed logins that lock the username (django-axes); returns how many
    attempt records were removed."""
    _check_manages(actor, account)
    removed = reset_lockout(username=account.username)
    _record(AccessEventKind.ACCOUNT_UNLOCKED, actor=actor, account=account)
    return removed


@use_case
def revoke_api_tokens(*, actor: User, account: User) -> int:
    """The account's API tokens stop working now (its sessions stay); returns how many."""
    _check_manages(actor, account)
    revoked = account_services.revoke_tokens(user=account)
    _record(
        AccessEventKind.ACCOUNT_CHANGED, actor=actor, account=account, detail="API tokens revoked"
    )
    return revoked


@use_case
def reset_second_factor(*, actor: User, account: User) -> int:
    """The security administrator removes the account's authenticator and recovery codes (a
    lost phone): the account enrols again at its next login, its sessions end. Audited."""
    scope = scope_of(actor)
    if not scope.is_security_admin:
        raise PermissionDenied(_("Only the security administrator resets a second factor."))
    if not selectors.second_factor_accounts_of(actor).filter(pk=account.pk).exists():
        raise PermissionDenied(_("This account is not within your federation's subtree."))
    removed = account_services.reset_second_factor(user=account)
    _record(
        AccessEventKind.ACCOUNT_CHANGED,
        actor=actor,
        account=account,
        detail=f"second factor reset ({removed} devices)",
    )
    return removed
