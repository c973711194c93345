"""An account as its pages, its export and its API show it: roles with their scope, state."""

from dataclasses import dataclass

from django.utils.translation import pgettext

from zhidao.accounts.models import Role, RoleGrant, User

from . import selectors


@dataclass(frozen=True)
class RoleLine:
    grant: RoleGrant | None
    label: str
    scope: str
    revocable: bool


@dataclass(frozen=True)
class AccountRow:
    account: User
    roles: list[RoleLine]
    managed: bool
    locked: bool

    @property
    def state_label(self) -> str:
        if not self.account.is_active:
            return pgettext("account", "Deactivated")
        return pgettext("account", "Active")


def role_lines(account: User) -> list[RoleLine]:
    """From the prefetched grants; an instructor's scope is its record's federation."""
    lines = []
    for grant in account.role_grants.all():
        if grant.role == Role.INSTRUCTOR:
            instructor = getattr(account, "instructor", None)
            scope = instructor.federation.name if instructor is not None else ""
        elif grant.union_id:
            scope = grant.union.name
        else:
            scope = grant.federation.name if grant.federation_id else ""
        lines.append(
            RoleLine(
                grant=grant,
                label=grant.get_role_display(),
                scope=scope,
                revocable=grant.role in selectors.MANAGED_ROLES,
            )
        )
    return lines


def account_rows(user, accounts: list[User]) -> list[AccountRow]:
    """Two queries for the whole page: which rows the user manages, which are locked out."""
    managed = selectors.managed_among(user, accounts)
    locked = selectors.locked_usernames([account.username for account in accounts])
    return [
        AccountRow(
            account=account,
            roles=role_lines(account),
            managed=account.pk in managed,
            locked=account.username in locked,
        )
        for account in accounts
    ]
