"""Everybody with an account changes its own password and opens its own page (我的); logging in
and out needs nothing."""

import rules

rules.add_perm("accounts.change_password", rules.is_authenticated)
# Their own second factor: enrol, verify, recovery codes (accounts/otp_views.py).
rules.add_perm("accounts.manage_second_factor", rules.is_authenticated)
rules.add_perm("accounts.view_own_account", rules.is_authenticated)
