"""Issue 11's "done when", walked as a new federation would, on an empty database: set up
湘潭市总工会 from the command line, log in as its admin, take the organization template, import a
workbook with wrong rows (each named, nothing written), fix and import it, import unions with
chairs and instructors, create a batch and import its assignments, create a district admin who
sees only its district, and export the organizations and import the export with no change."""

import io
from datetime import date
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from zhidao.accounts.models import Role, RoleGrant, User
from zhidao.dispatch.models import Assignment, Instructor
from zhidao.orgs.models import Federation, Organization, Union
from zhidao.orgs.validators import make_credit_code

pytestmark = pytest.mark.django_db

PASSWORD = "Xiangtan@2026ok"
NEW_PASSWORD = "Zhidao@Fresh2027"


def code(number: int) -> str:
    return make_credit_code(f"91430300MA4L{number:05d}")


def log_in(username: str, password: str) -> Client:
    """A login through the login page, then the forced change of an initial password."""
    client = Client()
    answer = client.post("/accounts/login/", {"username": username, "password": password})
    assert answer.status_code == 302
    answer = client.post(
        "/accounts/password/",
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert answer.status_code == 302, answer.content.decode()[:500]
    return client


def filled(template: bytes, rows: list[list]) -> io.BytesIO:
    """The downloaded template with its example row replaced by these rows."""
    book = load_workbook(io.BytesIO(template))
    sheet = book.worksheets[0]
    sheet.delete_rows(2, sheet.max_row)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "upload.xlsx"
    return data


def headers_of(template: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(template)).worksheets[0]
    return [str(cell.value).lstrip("*") for cell in sheet[1]]


def post_import(client: Client, kind: str, data: io.BytesIO, *, dry_run: bool):
    data.seek(0)
    return client.post(
        f"/api/imports/{kind}/",
        {"file": data, "dry_run": "true" if dry_run else "false"},
    )


def rows_for(headers: list[str], records: list[dict]) -> list[list]:
    return [[record.get(header, "") for header in headers] for record in records]


def test_a_federation_starts_from_zero_with_imports_and_account_administration():
    assert not Federation.objects.unscoped().exists()
    call_command(
        "setup_federation",
        division="430300",
        admin_username="xt_admin",
        admin_password=PASSWORD,
        stdout=io.StringIO(),
    )
    city = Federation.objects.unscoped().get(region_code="430300")
    assert city.name == "湘潭市总工会"
    yuhu = Federation.objects.unscoped().get(region_code="430302")
    yuetang = Federation.objects.unscoped().get(region_code="430304")
    admin = log_in("xt_admin", PASSWORD)

    # The organization template, filled with rows of which three are wrong.
    template = admin.get("/api/imports/organizations/template/")
    assert template.status_code == 200
    headers = headers_of(template.content)
    good = [
        {
            "组织名称": f"湘潭示例{number}号科技有限公司",
            "统一社会信用代码": code(number),
            "组织类型": "新经济组织",
            "细分类型": "民营企业",
            "行业": "C 制造业",
            "所属工会": "雨湖区总工会" if number % 2 else "岳塘区总工会",
            "所在区县": "雨湖区" if number % 2 else "岳塘区",
            "职工人数": "80",
        }
        for number in range(1, 7)
    ]
    wrong_check_digit = dict(
        good[0], 统一社会信用代码=code(7)[:-1] + ("0" if code(7)[-1] != "0" else "1")
    )
    repeated = dict(good[1], 组织名称="重复的公司")
    unknown_federation = dict(good[2], 统一社会信用代码=code(8), 所属工会="不存在区总工会")
    workbook = filled(
        template.content,
        rows_for(headers, good + [wrong_check_digit, repeated, unknown_federation]),
    )
    answer = post_import(admin, "organizations", workbook, dry_run=False)
    assert answer.status_code == 400
    errors = {(error["row"], error["column"]) for error in answer.json()["errors"]}
    assert (8, "统一社会信用代码") in errors  # the wrong check digit
    assert (9, "统一社会信用代码") in errors  # the same code as row 3
    assert (10, "所属工会") in errors  # no such federation
    assert not Organization.objects.unscoped().exists()  # nothing written

    answer = post_import(
        admin, "organizations", filled(template.content, rows_for(headers, good)), dry_run=False
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["created"] == 6
    assert Organization.objects.unscoped().filter(federation=yuhu).count() == 3
    assert Organization.objects.unscoped().filter(federation=yuetang).count() == 3

    # Unions with their chairs' accounts, and instructors with accounts.
    unions = admin.get("/api/imports/unions/template/").content
    union_rows = [
        {
            "工会名称": f"湘潭示例{number}号科技有限公司工会",
            "所属工会": "雨湖区总工会" if number % 2 else "岳塘区总工会",
            "覆盖组织统一社会信用代码": code(number),
            "工会主席": f"主席{number}",
            "会员人数": "60",
            "主席登录账号": f"chair{number}",
        }
        for number in range(1, 7)
    ]
    answer = post_import(
        admin, "unions", filled(unions, rows_for(headers_of(unions), union_rows)), dry_run=False
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["created"] == 6
    assert {account["username"] for account in answer.json()["accounts"]} == {
        f"chair{number}" for number in range(1, 7)
    }
    assert RoleGrant.objects.filter(role=Role.UNION_OFFICER).count() == 6
    assert Union.objects.unscoped().count() == 6

    instructors = admin.get("/api/imports/instructors/template/").content
    instructor_rows = [
        {
            "姓名": "欧阳新建",
            "所属工会": "湘潭市总工会",
            "手机号": "13807320001",
            "登录账号": "ouyang",
        },
        {
            "姓名": "邹谦",
            "所属工会": "雨湖区总工会",
            "手机号": "13807320002",
            "登录账号": "zouqian",
        },
    ]
    answer = post_import(
        admin,
        "instructors",
        filled(instructors, rows_for(headers_of(instructors), instructor_rows)),
        dry_run=False,
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["created"] == 2
    assert Instructor.objects.unscoped().count() == 2

    # A batch, and its assignments imported.
    answer = admin.post(
        "/api/batches/",
        {"federation": city.pk, "name": "第一期", "year": 2026, "starts_on": "2026-03-01"},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.json()
    assignments = admin.get("/api/imports/assignments/template/").content
    assignment_rows = [
        {
            "批次": "第一期",
            "指导员登录账号": "ouyang",
            "派驻组织统一社会信用代码": f"{code(1)}、{code(2)}",
        },
        {
            "批次": "第一期",
            "指导员登录账号": "zouqian",
            "派驻组织统一社会信用代码": code(3),
            "开始日期": "2026-04-01",
        },
    ]
    answer = post_import(
        admin,
        "assignments",
        filled(assignments, rows_for(headers_of(assignments), assignment_rows)),
        dry_run=False,
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["created"] == 2
    ouyang = Assignment.objects.unscoped().get(instructor__user__username="ouyang")
    assert ouyang.starts_on == date(2026, 3, 1)  # the batch's start
    assert set(ouyang.organizations.values_list("credit_code", flat=True)) == {code(1), code(2)}

    # A district admin, created by the city's admin, sees only its district.
    answer = admin.post(
        "/api/accounts/",
        {
            "username": "yuhu_admin",
            "full_name": "雨湖管理员",
            "role": "federation_admin",
            "federation": yuhu.pk,
        },
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.json()
    district = log_in("yuhu_admin", answer.json()["one_time_password"])
    listed = district.get("/api/organizations/?page_size=100").json()
    names = {row["credit_code"] for row in listed["results"]}
    assert names == set(
        Organization.objects.unscoped()
        .filter(federation=yuhu)
        .values_list("credit_code", flat=True)
    )
    assert district.get(f"/api/federations/{yuetang.pk}/").status_code == 404

    # The export of the organizations re-imports with no change.
    export = admin.get("/api/imports/organizations/export/")
    assert export.status_code == 200
    assert quote("两新组织_湘潭市总工会_") in export["Content-Disposition"]
    exported = io.BytesIO(export.content)
    exported.name = "export.xlsx"
    before = list(Organization.objects.unscoped().order_by("pk").values())
    answer = post_import(admin, "organizations", exported, dry_run=False)
    assert answer.status_code == 200, answer.json()
    result = answer.json()
    assert (result["created"], result["updated"], result["unchanged"]) == (0, 0, 6)
    assert result["errors"] == []
    assert list(Organization.objects.unscoped().order_by("pk").values()) == before
    assert User.objects.filter(username="yuhu_admin", is_active=True).exists()
