"""Who may do what with exchange events and the case library.

Everybody reads what the scoped selectors show. Taking part — registering, posting on a board,
commenting, marking a case useful — is for those who do the programme's work: instructors,
union officers and federation admins. A federation leader only reads (DESIGN.md "Who uses it").
"""

import rules

from zhidao.accounts.permissions import (
    is_federation_admin,
    is_instructor,
    takes_part,
    visible_through,
)

from . import selectors


@rules.predicate
def is_author(user, case) -> bool:
    return case is not None and case.author_id == user.pk


# ----- events -----
rules.add_perm("exchange.view_event", visible_through(selectors.events_visible_to))
rules.add_perm("exchange.add_event", is_federation_admin)
rules.add_perm(
    "exchange.change_event",
    visible_through(selectors.events_administered_by, listed_for=is_federation_admin),
)
# Registration and the QR sign-in: the event's audience.
rules.add_perm("exchange.attend_event", visible_through(selectors.events_open_to))
rules.add_perm("exchange.post_event", takes_part & visible_through(selectors.events_visible_to))

# ----- cases -----
rules.add_perm("exchange.view_case", visible_through(selectors.cases_visible_to))
rules.add_perm("exchange.add_case", is_instructor)
rules.add_perm("exchange.change_case", is_author)
rules.add_perm("exchange.submit_case", is_author)
rules.add_perm(
    "exchange.review_case",
    visible_through(selectors.cases_reviewable_by, listed_for=is_federation_admin),
)
rules.add_perm("exchange.comment_case", takes_part & visible_through(selectors.cases_visible_to))
rules.add_perm(
    "exchange.mark_useful_case", takes_part & visible_through(selectors.cases_visible_to)
)
rules.add_perm("exchange.post_case", takes_part & visible_through(selectors.cases_visible_to))
