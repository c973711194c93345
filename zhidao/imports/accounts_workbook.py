"""The one-time .xlsx of the login accounts an import created (row, username, password)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from zhidao.core.workbooks import add_sheet, new_workbook, workbook_bytes


def accounts_workbook(accounts: list[dict]) -> bytes:
    workbook = new_workbook()
    add_sheet(
        workbook,
        title=_("New accounts"),
        header=[_("Row"), _("Username"), _("One-time password")],
        rows=[[a.get("row", ""), a.get("username", ""), a.get("password", "")] for a in accounts],
    )
    return workbook_bytes(workbook)
