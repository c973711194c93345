"""The workbench is everybody's (each section for the roles the user holds); the federation
dashboard is the staff's, admins and leaders alike."""

import rules

from zhidao.accounts.permissions import is_federation_staff

rules.add_perm("dashboard.view_workbench", rules.is_authenticated)
rules.add_perm("dashboard.view_federation_dashboard", is_federation_staff)
