"""The export of a kind in the request (the API's): the records of the user's scope in the
import's columns, so that an exported file re-imports unchanged.

The workbook is written in openpyxl's write-only mode (rows stream to the file; a 100,000-row
export never holds its cells in memory) from the kind's export_queryset, which selects the
related rows it needs, so the export costs the same few queries however many rows it has. The
pages' 导出 goes through the list exports (`exports.py`), which move a long one to the background.
"""

from __future__ import annotations

from zhidao.core import exports as list_exports

from .exports import list_export
from .kinds.base import ImportKind


def export_filename(kind: ImportKind, actor) -> str:
    """两新组织_湘潭市总工会_20261202.xlsx"""
    return list_exports.download_name(kind.label, actor)


def export_workbook(kind: ImportKind, actor) -> bytes:
    content, _count = list_exports.write_workbook(
        list_export(kind), actor, kind.export_queryset(actor)
    )
    return content
