"""The working-day calendar is read by everyone and kept by federation admins."""

import rules

from zhidao.accounts.permissions import is_federation_admin

rules.add_perm("holidays.view_calendaryear", rules.is_authenticated)
rules.add_perm("holidays.add_calendaryear", is_federation_admin)
