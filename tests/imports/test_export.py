"""Exports: the scope's records in the import's columns, re-importing unchanged, in a bounded
number of queries."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tests import factories
from zhidao.imports import services
from zhidao.imports.exporting import export_workbook
from zhidao.imports.kinds import get_kind
from zhidao.orgs.models import Organization

KIND = get_kind("organizations")


def make_organizations(tree, n):
    for i in range(n):
        factories.OrganizationFactory(
            name=f"湘潭（示例）公司{i}",
            federation=tree["yuhu"] if i % 2 else tree["city"],
            district="雨湖区",
            address=f"示例路{i}号",
        )
    factories.OrganizationFactory(federation=tree["zhuzhou"], district="")  # another scope


def test_export_then_import_is_all_unchanged(tree):
    make_organizations(tree, 12)
    content = export_workbook(KIND, tree["admin"])
    rows = list(load_workbook(io.BytesIO(content), read_only=True).worksheets[0].iter_rows())
    expected = (
        Organization.objects.unscoped()
        .filter(federation__path__startswith=tree["city"].path)
        .count()
    )
    assert len(rows) - 1 == expected == 12
    outcome = services.import_now(
        actor=tree["admin"],
        kind=KIND,
        upload=SimpleUploadedFile("export.xlsx", content),
        dry_run=True,
    )
    assert outcome.summary == {"created": 0, "updated": 0, "unchanged": expected, "errors": []}


def test_a_district_admin_exports_its_district_only(tree):
    make_organizations(tree, 6)
    content = export_workbook(KIND, tree["yuhu_admin"])
    rows = list(load_workbook(io.BytesIO(content), read_only=True).worksheets[0].iter_rows())
    assert len(rows) - 1 == Organization.objects.unscoped().filter(federation=tree["yuhu"]).count()


def test_the_export_costs_the_same_queries_for_5_and_for_40_rows(tree):
    make_organizations(tree, 5)
    export_workbook(KIND, tree["admin"])  # the actor's scope, computed once
    with CaptureQueriesContext(connection) as small:
        export_workbook(KIND, tree["admin"])
    make_organizations(tree, 35)
    with CaptureQueriesContext(connection) as large:
        export_workbook(KIND, tree["admin"])
    assert len(small) == len(large) <= 3
