"""The templates: Chinese headers (required ones marked), drop-downs, the instructions sheet."""

import io

import pytest
from openpyxl import load_workbook

from zhidao.imports.kinds import get_kind
from zhidao.imports.template_workbook import build_template


@pytest.mark.parametrize("key", ["organizations", "federations"])
def test_the_template_has_headers_drop_downs_and_instructions(db, key):
    kind = get_kind(key)
    workbook = load_workbook(io.BytesIO(build_template(kind)))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers == [("*" if c.required else "") + str(c.header) for c in kind.columns]
    coded = [c for c in kind.columns if c.choices]
    assert len(sheet.data_validations.dataValidation) == len(coded)
    assert all(v.type == "list" for v in sheet.data_validations.dataValidation)
    instructions = workbook["填写说明"]
    explained = [row[0] for row in instructions.iter_rows(values_only=True)]
    assert all(str(c.header) in explained for c in kind.columns)


def test_the_organization_template_speaks_chinese(db):
    sheet = load_workbook(io.BytesIO(build_template(get_kind("organizations")))).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:3] == ["*组织名称", "*统一社会信用代码", "*组织类型"]
    assert "职工人数" in headers


def test_the_example_row_of_the_template_checks_clean(tree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhidao.imports import services

    kind = get_kind("organizations")
    upload = SimpleUploadedFile("template.xlsx", build_template(kind))
    outcome = services.import_now(actor=tree["admin"], kind=kind, upload=upload, dry_run=True)
    assert outcome.summary["errors"] == [] and outcome.summary["created"] == 1
