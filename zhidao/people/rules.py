"""Federation admins, the system administrator (and the installing superuser) administer
accounts: they see the accounts holding a role in their subtrees and manage those with no role
elsewhere (selectors.py). The security administrator resets second factors."""

import rules

from zhidao.accounts.permissions import (
    is_federation_admin,
    is_security_admin,
    is_system_admin,
    visible_through,
)

from . import selectors

administers_accounts = is_federation_admin | is_system_admin

rules.add_perm(
    "people.view_account",
    visible_through(selectors.accounts_visible_to, listed_for=administers_accounts),
)
rules.add_perm("people.add_account", administers_accounts)
rules.add_perm(
    "people.change_account",
    visible_through(selectors.accounts_managed_by, listed_for=administers_accounts),
)
# The security policy page and second-factor resets (security_views.py).
rules.add_perm("people.view_security", is_security_admin)
rules.add_perm(
    "people.reset_second_factor",
    visible_through(selectors.second_factor_accounts_of, listed_for=is_security_admin),
)
