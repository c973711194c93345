"""The figures pages that belong to no single room: the definitions are everybody's, the
statistics the federation staff's (exchange participation: the admins who run the events)."""

import rules

from zhidao.accounts.permissions import is_federation_admin, is_federation_staff

rules.add_perm("figures.view_definitions", rules.is_authenticated)
rules.add_perm("figures.view_exchange_statistics", is_federation_admin)
rules.add_perm("figures.view_standards_statistics", is_federation_staff)
