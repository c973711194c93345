"""The inbox is its owner's: anybody else's notification is not found."""

import rules

from zhidao.accounts.permissions import visible_through

from . import selectors

rules.add_perm(
    "notifications.view_notification", visible_through(selectors.notifications_visible_to)
)
# Marking read: one's own notifications (the list-wide "read all" too).
rules.add_perm(
    "notifications.change_notification", visible_through(selectors.notifications_visible_to)
)
