"""The 口径说明 sheet that every figures workbook carries as its last sheet."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from zhidao.core.workbooks import add_sheet

from .definitions import DEFINITIONS


def add_definitions_sheet(workbook: Workbook) -> None:
    add_sheet(
        workbook,
        title=_("Definitions"),
        header=[pgettext("column", "Figure"), _("How it is counted")],
        rows=[[str(item.label), str(item.text)] for item in DEFINITIONS],
        wrap_columns=[2],
    )
