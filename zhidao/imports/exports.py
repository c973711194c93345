"""The kinds' exports as list exports (zhidao/core/exports.py): the records of the user's scope
in the import's columns, so that an exported file re-imports unchanged, and a long one is built
in the background and delivered to the inbox like every other list's."""

from __future__ import annotations

from zhidao.core import exports as list_exports

from .kinds import all_kinds
from .kinds.base import ImportKind
from .template_workbook import header_text


def _columns(kind: ImportKind) -> list[list_exports.Column]:
    return [
        list_exports.Column(header_text(column), lambda obj, key=column.key: obj)
        for column in kind.columns
        if column.exported
    ]


def _rows(kind: ImportKind):
    keys = [column.key for column in kind.columns if column.exported]

    def rows(user, queryset, columns):
        # One export_texts() per record (not one per cell): the kind formats a record at once.
        for instance in queryset.iterator(chunk_size=list_exports.CHUNK_SIZE):
            texts = kind.export_texts(instance)
            yield [texts.get(key, "") for key in keys]

    return rows


def list_export(kind: ImportKind) -> list_exports.ListExport:
    """The registered export of a kind (its key is the kind's: /exports/organizations/)."""
    export = list_exports.get_export(kind.key)
    assert export is not None, kind.key
    return export


# Where a background export's "running in the background" message sends the user back to.
LIST_URLS = {
    "federations": "orgs:federation_list",
    "organizations": "orgs:organization_list",
    "unions": "orgs:union_list",
    "instructors": "dispatch:instructor_list",
    "assignments": "dispatch:assignment_list",
}

for _kind in all_kinds():
    list_exports.register(
        list_exports.ListExport(
            key=_kind.key,
            title=_kind.label,
            permission="imports.use_imports",
            queryset=_kind.export_queryset,
            columns=_columns(_kind),
            rows=_rows(_kind),
            list_url=LIST_URLS.get(_kind.key, ""),
        )
    )
