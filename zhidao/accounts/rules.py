"""Everybody with an account changes its own password; logging in and out needs nothing."""

import rules

rules.add_perm("accounts.change_password", rules.is_authenticated)
