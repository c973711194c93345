"""Imports on the federation admin's workbench (zhidao/core/workbench.py): the checked imports
waiting to be confirmed. Registered from this app, which sits above the dashboard."""

from datetime import date

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from zhidao.core.workbench import Item, list_url, register

from .models import ImportJob
from .selectors import WAITING


def import_items(user, scope, today: date) -> list[Item]:
    if not scope.is_federation_admin:
        return []
    waiting = (
        ImportJob.objects.visible_to(user).filter(WAITING).order_by().aggregate(count=Count("pk"))
    )
    return [
        Item(
            "imports_waiting",
            _("Imports waiting to be confirmed"),
            waiting["count"],
            list_url("imports:hub", waiting="on"),
            nav="imports",
        )
    ]


register(import_items, order=70)
