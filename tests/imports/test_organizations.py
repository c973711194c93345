"""Checking and importing organizations: every kind of bad row named with its row, column and
reason in Chinese; cleaning reported; all rows or none; re-import unchanged; update by code."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from tests import factories
from zhidao.imports import services
from zhidao.imports.kinds import get_kind
from zhidao.imports.kinds.organizations import OrganizationKindOfImport
from zhidao.orgs.models import Organization
from zhidao.orgs.validators import make_credit_code

from .conftest import csv_upload, headers, org_row, xlsx

KIND = get_kind("organizations")
CODE_A = make_credit_code("91430302MA4L0AA1B")
CODE_B = make_credit_code("91430302MA4L0AA2C")


def check(actor, upload):
    return services.import_now(actor=actor, kind=KIND, upload=upload, dry_run=True).summary


def run(actor, upload):
    return services.import_now(actor=actor, kind=KIND, upload=upload, dry_run=False)


def errors_of(summary, column=None):
    return [e for e in summary["errors"] if column is None or e["column"] == column]


def test_a_valid_file_creates_its_rows(tree):
    outcome = run(tree["admin"], xlsx([org_row(CODE_A), org_row(CODE_B, name="湘潭乙公司")]))
    assert outcome.summary == {"created": 2, "updated": 0, "unchanged": 0, "errors": []}
    organization = Organization.objects.unscoped().get(credit_code=CODE_A)
    assert organization.federation == tree["yuhu"]
    assert organization.employee_count == 120
    assert organization.name_initials  # computed as the model's save would
    assert organization.name_pinyin == "xiangtanshilikejiyouxiangongsi"  # so is the pinyin
    assert Organization.objects.unscoped().count() == 2


def test_a_wrong_check_digit_is_named_with_row_and_column(tree):
    wrong = CODE_A[:-1] + ("0" if CODE_A[-1] != "0" else "1")
    summary = check(tree["admin"], xlsx([org_row(CODE_B), org_row(wrong)]))
    (error,) = summary["errors"]
    assert error["row"] == 3
    assert error["column"] == "统一社会信用代码"
    assert "校验" in error["message"]


def test_a_credit_code_repeated_in_the_file_is_an_error_of_the_second_row(tree):
    summary = check(tree["admin"], xlsx([org_row(CODE_A), org_row(CODE_A, name="另一家")]))
    (error,) = summary["errors"]
    assert error["row"] == 3
    assert "第2行" in error["message"]


def test_a_credit_code_of_another_subtree_cannot_be_taken(tree):
    factories.OrganizationFactory(credit_code=CODE_A, federation=tree["zhuzhou"])
    summary = check(tree["admin"], xlsx([org_row(CODE_A)]))
    (error,) = summary["errors"]
    assert error["column"] == "统一社会信用代码"
    assert "株洲市总工会" in error["message"]


def test_an_unknown_federation_and_an_unknown_district_are_named(tree):
    row = org_row(CODE_A, federation="不存在总工会", district="火星区")
    summary = check(tree["admin"], xlsx([row]))
    by_column = {e["column"]: e["message"] for e in summary["errors"]}
    assert "不存在总工会" in by_column["所属工会"]
    assert "火星区" in by_column["县（市、区）"]


def test_a_sub_kind_not_of_the_kind_is_an_error(tree):
    summary = check(tree["admin"], xlsx([org_row(CODE_A, kind="新社会组织")]))
    assert summary["errors"], summary
    assert summary["errors"][0]["row"] == 2
    assert summary["created"] == 0


def test_full_width_digits_and_stray_spaces_are_cleaned_and_reported(tree):
    wide = CODE_A.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    job = services.check_upload(
        actor=tree["admin"],
        kind=KIND,
        upload=xlsx([org_row(f" {wide} ", name="  湘潭示例  科技有限公司 ")]),
    )
    assert job.errors == []
    assert job.created_count == 1
    cleaned = {c["column"]: c["after"] for c in job.preview["cleanings"]}
    assert cleaned["统一社会信用代码"] == CODE_A
    assert cleaned[str(KIND.column("name").header)] == "湘潭示例 科技有限公司"


def test_a_missing_required_header_is_a_file_error(tree):
    header = [h for h in headers("organizations") if "统一社会信用代码" not in h]
    row = org_row(CODE_A)
    del row[1]
    summary = check(tree["admin"], xlsx([row], header))
    (error,) = summary["errors"]
    assert error["row"] == 0
    assert "统一社会信用代码" in error["message"]


def test_a_file_that_is_not_a_workbook_is_refused(tree):
    summary = check(tree["admin"], SimpleUploadedFile("data.xlsx", b"not a zip at all"))
    assert summary["errors"][0]["row"] == 0
    assert "Excel" in summary["errors"][0]["message"]
    summary = check(tree["admin"], SimpleUploadedFile("data.pdf", b"%PDF-1.4"))
    assert ".xlsx" in summary["errors"][0]["message"]


@override_settings(IMPORT_MAX_ROWS=3)
def test_more_rows_than_the_limit_is_a_file_error(tree):
    rows = [org_row(make_credit_code(f"91430302MA4L0B{n:03d}"), name=f"公司{n}") for n in range(4)]
    summary = check(tree["admin"], xlsx(rows))
    assert summary["errors"][0]["row"] == 0
    assert "3" in summary["errors"][0]["message"]
    assert not Organization.objects.unscoped().exists()


def test_one_bad_row_writes_nothing(tree):
    outcome = run(tree["admin"], xlsx([org_row(CODE_A), org_row("123", name="坏行")]))
    assert outcome.written is False
    assert outcome.summary["created"] == 1
    assert len(outcome.summary["errors"]) == 1
    assert not Organization.objects.unscoped().exists()


def test_a_failure_inside_apply_rolls_everything_back(tree, monkeypatch):
    original = OrganizationKindOfImport.apply

    def apply_then_fail(self, plans, *, actor):
        original(self, plans, actor=actor)
        assert Organization.objects.unscoped().count() == 2  # written, inside the transaction
        raise RuntimeError("disk full")

    monkeypatch.setattr(OrganizationKindOfImport, "apply", apply_then_fail)
    job = services.check_upload(
        actor=tree["admin"], kind=KIND, upload=xlsx([org_row(CODE_A), org_row(CODE_B, name="乙")])
    )
    job = services.confirm_import(actor=tree["admin"], job=job)
    assert job.status == "failed"
    assert "未写入任何数据" in job.failure
    assert not Organization.objects.unscoped().exists()


def test_importing_the_same_file_again_changes_nothing(tree):
    rows = [org_row(CODE_A), org_row(CODE_B, name="湘潭乙公司")]
    run(tree["admin"], xlsx(rows))
    again = run(tree["admin"], xlsx(rows))
    assert again.summary == {"created": 0, "updated": 0, "unchanged": 2, "errors": []}


def test_a_changed_row_updates_the_organization_its_code_identifies(tree):
    run(tree["admin"], xlsx([org_row(CODE_A), org_row(CODE_B, name="湘潭乙公司")]))
    before = Organization.objects.unscoped().get(credit_code=CODE_A)
    outcome = run(
        tree["admin"],
        xlsx(
            [
                org_row(CODE_A, name="湘潭示例科技股份有限公司", employee_count="300"),
                org_row(CODE_B, name="湘潭乙公司"),
            ]
        ),
    )
    assert outcome.summary["updated"] == 1
    assert outcome.summary["unchanged"] == 1
    after = Organization.objects.unscoped().get(credit_code=CODE_A)
    assert after.pk == before.pk
    assert (after.name, after.employee_count) == ("湘潭示例科技股份有限公司", 300)
    assert Organization.objects.unscoped().count() == 2


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_csv_in_utf8_with_bom_and_in_gb18030(tree, encoding):
    outcome = run(tree["admin"], csv_upload([org_row(CODE_A)], encoding=encoding))
    assert outcome.summary["errors"] == []
    assert Organization.objects.unscoped().get(credit_code=CODE_A).name == "湘潭示例科技有限公司"


def test_a_district_admin_cannot_import_into_the_city_federation(tree):
    summary = check(tree["yuhu_admin"], xlsx([org_row(CODE_A, federation="湘潭市总工会")]))
    (error,) = summary["errors"]
    assert error["column"] == "所属工会"
    assert "湘潭市总工会" in error["message"]


def test_the_check_costs_the_same_queries_for_10_and_for_100_rows(tree):
    def rows(n):
        return [
            org_row(make_credit_code(f"91430302MA4L1{i:04d}"), name=f"公司{i}") for i in range(n)
        ]

    check(tree["admin"], xlsx(rows(1)))  # the actor's scope, computed once per user
    with CaptureQueriesContext(connection) as small:
        check(tree["admin"], xlsx(rows(10)))
    with CaptureQueriesContext(connection) as large:
        check(tree["admin"], xlsx(rows(100)))
    assert len(large) == len(small)
    assert len(large) < 10


def test_imported_organizations_count_in_the_dashboard_coverage_once_committed(
    tree, django_capture_on_commit_callbacks
):
    from datetime import date

    from zhidao.figures.periods import Period
    from zhidao.figures.summary import subtree_figures

    today = date.today()
    quarter = Period.quarter_of(today)
    with django_capture_on_commit_callbacks(execute=True):
        run(tree["admin"], xlsx([org_row(CODE_A), org_row(CODE_B, name="湘潭乙公司")]))
    figures = subtree_figures(tree["city"], quarter, today=today)
    assert figures.totals["organizations_active"] == 2  # both rows of the file
    by_name = {row["name"]: row["organizations_active"] for row in figures.breakdown}
    assert by_name["雨湖区总工会"] == 2
