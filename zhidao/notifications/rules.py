"""The inbox is its owner's: anybody else's notification is not found."""

import rules

from zhidao.accounts.permissions import is_federation_admin, visible_through

from . import selectors

rules.add_perm(
    "notifications.view_notification", visible_through(selectors.notifications_visible_to)
)
# Marking read: one's own notifications (the list-wide "read all" too).
rules.add_perm(
    "notifications.change_notification", visible_through(selectors.notifications_visible_to)
)
# One's own choice of channels and chat ids.
rules.add_perm("notifications.change_preferences", rules.is_authenticated)
# Deliveries that failed: the federation admins of the recipients' subtree see them and retry.
rules.add_perm(
    "notifications.view_delivery",
    visible_through(selectors.deliveries_visible_to, listed_for=is_federation_admin),
)
rules.add_perm(
    "notifications.retry_delivery",
    visible_through(selectors.deliveries_retryable_by, listed_for=is_federation_admin),
)
