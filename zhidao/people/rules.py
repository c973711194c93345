"""Federation admins (and the installing superuser) administer accounts: they see the accounts
holding a role in their subtrees and manage those with no role elsewhere (selectors.py)."""

import rules

from zhidao.accounts.permissions import is_federation_admin, visible_through

from . import selectors

rules.add_perm(
    "people.view_account",
    visible_through(selectors.accounts_visible_to, listed_for=is_federation_admin),
)
rules.add_perm("people.add_account", is_federation_admin)
rules.add_perm(
    "people.change_account",
    visible_through(selectors.accounts_managed_by, listed_for=is_federation_admin),
)
