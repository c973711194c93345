"""The API: template, import (dry run by default, 400 with the same keys on errors), export."""

import io

from django.test import override_settings
from openpyxl import load_workbook
from rest_framework.test import APIClient

from zhidao.imports.models import ImportJob
from zhidao.orgs.models import Organization
from zhidao.orgs.validators import make_credit_code

from .conftest import org_row, xlsx

CODE = make_credit_code("91430302MA4L3AA1B")
KEYS = {"created", "updated", "unchanged", "errors"}


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_template_is_an_xlsx_with_the_headers(tree):
    response = api(tree["admin"]).get("/api/imports/organizations/template/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert "*统一社会信用代码" in [cell.value for cell in sheet[1]]


def test_dry_run_is_the_default_and_writes_nothing(tree):
    response = api(tree["admin"]).post(
        "/api/imports/organizations/", {"file": xlsx([org_row(CODE)])}, format="multipart"
    )
    assert response.status_code == 200
    assert response.json() == {"created": 1, "updated": 0, "unchanged": 0, "errors": []}
    assert not Organization.objects.unscoped().exists()
    assert not ImportJob.objects.unscoped().exists()


def test_a_real_import_writes_files_a_job_and_answers_accounts(tree):
    response = api(tree["admin"]).post(
        "/api/imports/organizations/",
        {"file": xlsx([org_row(CODE)]), "dry_run": "false"},
        format="multipart",
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == KEYS | {"accounts"}
    assert body["created"] == 1 and body["accounts"] == []
    assert Organization.objects.unscoped().filter(credit_code=CODE).count() == 1
    job = ImportJob.objects.unscoped().get()
    assert (job.status, job.created_count, job.created_by) == ("done", 1, tree["admin"])
    again = api(tree["admin"]).post(
        "/api/imports/organizations/",
        {"file": xlsx([org_row(CODE)]), "dry_run": "false"},
        format="multipart",
    )
    assert again.json()["unchanged"] == 1


def test_errors_answer_400_with_the_same_keys_and_write_nothing(tree):
    response = api(tree["admin"]).post(
        "/api/imports/organizations/",
        {"file": xlsx([org_row(CODE), org_row("bad")]), "dry_run": "false"},
        format="multipart",
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == KEYS
    assert body["errors"][0]["row"] == 3 and body["errors"][0]["column"] == "统一社会信用代码"
    assert not Organization.objects.unscoped().exists()


@override_settings(IMPORT_MAX_BYTES=100)
def test_a_file_over_the_size_limit_is_a_400_with_a_chinese_message(tree):
    response = api(tree["admin"]).post(
        "/api/imports/organizations/", {"file": xlsx([org_row(CODE)])}, format="multipart"
    )
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["row"] == 0 and "文件过大" in error["message"]


def test_an_unknown_kind_is_a_404_and_a_leader_is_refused(tree):
    assert api(tree["admin"]).get("/api/imports/planets/template/").status_code == 404
    assert api(tree["leader"]).get("/api/imports/organizations/template/").status_code == 403
    response = api(tree["leader"]).post(
        "/api/imports/organizations/", {"file": xlsx([org_row(CODE)])}, format="multipart"
    )
    assert response.status_code == 403


def test_the_export_has_a_chinese_file_name(tree):
    response = api(tree["admin"]).get("/api/imports/organizations/export/")
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert "attachment" in disposition
    assert "%E4%B8%A4%E6%96%B0%E7%BB%84%E7%BB%87_" in disposition  # 两新组织_
    assert "%E6%B9%98%E6%BD%AD%E5%B8%82%E6%80%BB%E5%B7%A5%E4%BC%9A" in disposition  # 湘潭市总工会
