import rules

from zhidao.accounts.permissions import (
    administers,
    is_federation_admin,
    is_federation_staff,
    visible_through,
)

from . import selectors

# The federation tree is the staff's: instructors and union officers work on organizations.
rules.add_perm(
    "orgs.view_federation",
    visible_through(selectors.federations_visible_to, listed_for=is_federation_staff),
)
rules.add_perm("orgs.add_federation", is_federation_admin)
rules.add_perm("orgs.change_federation", administers)
rules.add_perm("orgs.view_organization", visible_through(selectors.organizations_visible_to))
rules.add_perm("orgs.add_organization", is_federation_admin)
rules.add_perm("orgs.change_organization", administers)
rules.add_perm("orgs.view_union", visible_through(selectors.unions_visible_to))
rules.add_perm("orgs.add_union", is_federation_admin)
rules.add_perm("orgs.change_union", administers)
# The first-run page is the installer's: the superuser, while no federation exists (the view
# answers 404 once one does).
rules.add_perm("orgs.set_up_federation", rules.is_superuser)
