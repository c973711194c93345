import rules

from zhidao.accounts.permissions import administers, is_federation_admin, visible_through

from . import selectors

rules.add_perm("dispatch.view_instructor", visible_through(selectors.instructors_visible_to))
rules.add_perm("dispatch.add_instructor", is_federation_admin)
rules.add_perm("dispatch.change_instructor", administers)
rules.add_perm("dispatch.view_batch", visible_through(selectors.batches_visible_to))
rules.add_perm("dispatch.add_batch", is_federation_admin)
rules.add_perm("dispatch.change_batch", administers)
rules.add_perm("dispatch.view_assignment", visible_through(selectors.assignments_visible_to))
rules.add_perm("dispatch.add_assignment", is_federation_admin)
rules.add_perm("dispatch.change_assignment", administers)
