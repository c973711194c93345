import rules

from zhidao.accounts.permissions import administers, is_federation_admin, visible_through

from . import selectors

# Imports and exports of master data are the federation admins', each within its subtree.
rules.add_perm("imports.use_imports", is_federation_admin)
rules.add_perm(
    "imports.view_importjob",
    visible_through(selectors.jobs_visible_to, listed_for=is_federation_admin),
)
rules.add_perm("imports.change_importjob", is_federation_admin & administers)
