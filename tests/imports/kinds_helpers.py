"""Driving an import kind as its service does: a workbook in the template's columns, read,
planned, and applied inside one transaction, under the use-case guard."""

import io

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from tests import factories
from zhidao.core.scoping import unguarded
from zhidao.imports.kinds import get_kind
from zhidao.imports.reading import read_rows
from zhidao.imports.template_workbook import header_text


def workbook(kind_key: str, rows: list[dict]) -> io.BytesIO:
    """An .xlsx with the kind's headers and one row per dict (column key -> cell value)."""
    kind = get_kind(kind_key)
    book = Workbook()
    sheet = book.active
    sheet.append([header_text(column) for column in kind.columns])
    for row in rows:
        sheet.append([row.get(column.key, "") for column in kind.columns])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    return data


def plan(kind_key: str, rows: list[dict], actor):
    kind = get_kind(kind_key)
    with unguarded():
        source = list(read_rows(workbook(kind_key, rows), name="x.xlsx", columns=kind.columns))
        return kind.plan(source, actor=actor)


def plan_queries(kind_key: str, rows: list[dict], actor) -> int:
    """The number of queries planning these rows takes."""
    kind = get_kind(kind_key)
    source = list(read_rows(workbook(kind_key, rows), name="x.xlsx", columns=kind.columns))
    with unguarded(), CaptureQueriesContext(connection) as captured:
        kind.plan(source, actor=actor)
    return len(captured)


def apply(kind_key: str, planned, actor) -> list[dict]:
    with unguarded(), transaction.atomic():
        return get_kind(kind_key).apply(planned.rows, actor=actor)


def run(kind_key: str, rows: list[dict], actor):
    """Plan; apply when the plan has no error. (plan, accounts)."""
    planned = plan(kind_key, rows, actor)
    accounts = apply(kind_key, planned, actor) if not planned.errors else None
    return planned, accounts


def export_rows(kind_key: str, actor) -> list[dict]:
    """The export's texts, as the rows of a file to import again."""
    kind = get_kind(kind_key)
    with unguarded():
        return [kind.export_texts(record) for record in kind.export_queryset(actor)]


def errors(planned) -> list[tuple[int, str, str]]:
    return [(e["row"], e["column"], e["message"]) for e in planned.summary()["errors"]]


def xiangtan():
    """湘潭市总工会 with 雨湖区 and 岳塘区, 株洲市总工会 beside it, and their admins."""
    city = factories.make_federation(name="湘潭市总工会")
    yuhu = factories.make_federation(name="雨湖区总工会", level="district", parent=city)
    yuetang = factories.make_federation(name="岳塘区总工会", level="district", parent=city)
    other = factories.make_federation(name="株洲市总工会")
    return {
        "city": city,
        "yuhu": yuhu,
        "yuetang": yuetang,
        "other": other,
        "admin": factories.federation_admin(city),
        "yuhu_admin": factories.federation_admin(yuhu),
        "other_admin": factories.federation_admin(other),
    }
