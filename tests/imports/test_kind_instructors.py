"""The instructors kind driven directly: rows → plan → apply, against expectations written here."""

import pytest

from tests import factories
from tests.imports.kinds_helpers import (
    apply,
    errors,
    export_rows,
    plan,
    plan_queries,
    run,
    xiangtan,
)
from zhidao.accounts.models import Role
from zhidao.dispatch.models import Instructor, InstructorStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return xiangtan()


def instructor_row(**fields) -> dict:
    row = {
        "name": "李示例",
        "federation": "雨湖区总工会",
        "department": "基层工作部",
        "title": "一级科员",
        "phone": "13912345678",
        "username": "lishili",
        "status": "在岗",
    }
    row.update(fields)
    return row


def test_new_instructors_get_accounts_with_one_time_passwords(tree):
    rows = [
        instructor_row(),
        # no login account: one is made from the name's pinyin, past the one already taken
        instructor_row(
            name="王芳", username="", phone="+86 139-0000-1111", federation="湘潭市总工会"
        ),
    ]
    factories.UserFactory(username="wangfang")
    planned, accounts = run("instructors", rows, tree["admin"])

    assert planned.summary() == {"created": 2, "updated": 0, "unchanged": 0, "errors": []}
    assert [(a["row"], a["username"]) for a in accounts] == [(2, "lishili"), (3, "wangfang2")]
    first = Instructor.objects.get(user__username="lishili")
    assert (first.name, first.federation, first.department, first.title, first.phone) == (
        "李示例",
        tree["yuhu"],
        "基层工作部",
        "一级科员",
        "13912345678",
    )
    second = Instructor.objects.get(user__username="wangfang2")
    assert (second.federation, second.phone) == (tree["city"], "13900001111")
    for account in accounts:
        user = Instructor.objects.get(user__username=account["username"]).user
        assert user.check_password(account["password"])
        assert user.must_change_password
        assert list(user.role_grants.values_list("role", flat=True)) == [Role.INSTRUCTOR]


def test_the_same_file_again_and_the_export_change_nothing(tree):
    rows = [instructor_row(), instructor_row(name="王芳", username="", phone="13900001111")]
    run("instructors", rows, tree["admin"])
    assert plan("instructors", rows, tree["admin"]).summary()["unchanged"] == 2

    exported = export_rows("instructors", tree["admin"])
    assert {(row["username"], row["phone"]) for row in exported} == {
        ("lishili", "13912345678"),
        ("wangfang", "13900001111"),
    }
    assert "password" not in exported[0]
    again = plan("instructors", exported, tree["admin"])
    assert again.summary() == {"created": 0, "updated": 0, "unchanged": 2, "errors": []}


def test_a_changed_row_updates_the_instructor_it_names_by_account_or_phone(tree):
    by_account = factories.InstructorFactory(
        name="赵一", federation=tree["yuhu"], phone="13811110000", user__username="zhaoyi"
    )
    by_phone = factories.InstructorFactory(
        name="钱二", federation=tree["yuhu"], phone="13822220000"
    )
    rows = [
        instructor_row(name="赵一", username="zhaoyi", phone="", title="二级主任科员"),
        instructor_row(name="钱二", username="", phone="138 2222 0000", status="离岗"),
    ]
    planned = plan("instructors", rows, tree["admin"])
    assert planned.summary()["updated"] == 2
    assert [row.instance for row in planned.rows] == [by_account, by_phone]
    assert apply("instructors", planned, tree["admin"]) == []

    by_account.refresh_from_db()
    by_phone.refresh_from_db()
    assert (by_account.title, by_account.phone) == ("二级主任科员", "13811110000")
    assert by_phone.status == InstructorStatus.INACTIVE
    assert Instructor.objects.count() == 2


def test_every_bad_row_is_named_with_its_column_and_reason(tree):
    factories.UserFactory(username="plain_user")
    factories.InstructorFactory(
        name="株洲指导员", federation=tree["other"], user__username="zhuzhou_instructor"
    )
    factories.InstructorFactory(
        name="孙三", federation=tree["yuhu"], phone="13833330000", user__username="sunsan"
    )
    rows = [
        instructor_row(federation="长沙市总工会"),  # 2
        instructor_row(username="", phone=""),  # 3
        instructor_row(username="plain_user"),  # 4
        instructor_row(username="zhuzhou_instructor"),  # 5
        instructor_row(username="new_sun", phone="13833330000"),  # 6
        instructor_row(username="bad name!"),  # 7
        instructor_row(username="lishili", phone="12345"),  # 8
        instructor_row(username="lishili"),  # 9
        instructor_row(status="请假"),  # 10
    ]
    found = errors(plan("instructors", rows, tree["admin"]))
    assert (2, "所属工会", "您管理的工会中没有名为“长沙市总工会”的工会。") in found
    assert (3, "登录账号", "请填写登录账号或手机号，二者之一用于确定指导员。") in found
    assert (
        4,
        "登录账号",
        "登录账号“plain_user”已被非指导员的账号使用，请换一个。",
    ) in found
    assert (
        5,
        "登录账号",
        "登录账号“zhuzhou_instructor”是株洲市总工会的指导员，不在您管理的工会范围内。",
    ) in found
    assert (
        6,
        "手机号",
        "该手机号已是指导员孙三（登录账号“sunsan”）的号码：请填写该账号，或不填账号。",
    ) in found
    assert any(row == 7 and column == "登录账号" for row, column, _m in found)
    assert any(row == 8 and column == "手机号" for row, column, _m in found)
    assert (9, "登录账号、手机号", "登录账号、手机号与本文件第2行重复。") in found
    assert (10, "状态", "“请假”不是可选值之一：在岗、离岗。") in found
    assert {row for row, _c, _m in found} == set(range(2, 11))


def test_a_district_admin_cannot_reach_outside_its_district(tree):
    factories.InstructorFactory(
        name="岳塘指导员", federation=tree["yuetang"], phone="13844440000", user__username="yt"
    )
    planned = plan(
        "instructors",
        [
            instructor_row(username="yt", name="岳塘指导员"),
            instructor_row(federation="岳塘区总工会", username="another"),
            # The phone of an instructor outside the district does not find that instructor.
            instructor_row(username="", phone="13844440000"),
        ],
        tree["yuhu_admin"],
    )
    found = errors(planned)
    assert (
        2,
        "登录账号",
        "登录账号“yt”是岳塘区总工会的指导员，不在您管理的工会范围内。",
    ) in found
    assert (3, "所属工会", "您管理的工会中没有名为“岳塘区总工会”的工会。") in found
    assert planned.rows[2].action == "create"
    assert export_rows("instructors", tree["yuhu_admin"]) == []


def test_full_width_digits_and_spaces_are_cleaned_and_reported(tree):
    planned = plan(
        "instructors",
        [instructor_row(phone="１３９ １２３４ ５６７８", name=" 李示例 ")],
        tree["admin"],
    )
    row = planned.rows[0]
    assert (row.action, row.values["phone"], row.values["name"]) == (
        "create",
        "13912345678",
        "李示例",
    )
    assert {(c.column, c.after) for c in row.cleanings} == {
        ("手机号", "13912345678"),
        ("姓名", "李示例"),
    }


def test_a_generated_account_steps_past_one_the_file_names(tree):
    rows = [
        instructor_row(name="王芳", username="", phone="13900001111"),
        instructor_row(username="wangfang"),
    ]
    _planned, accounts = run("instructors", rows, tree["admin"])
    assert sorted(a["username"] for a in accounts) == ["wangfang", "wangfang2"]
    assert Instructor.objects.get(user__username="wangfang2").name == "王芳"


def test_planning_takes_the_same_queries_for_few_rows_as_for_many(tree):
    for n in range(6):
        factories.InstructorFactory(
            federation=tree["yuhu"], phone=f"1391111000{n}", user__username=f"i{n}"
        )

    def rows(count: int) -> list[dict]:
        return [
            instructor_row(
                name=f"指导员{n}", username=f"i{n}" if n % 2 else "", phone=f"1391111000{n}"
            )
            for n in range(count)
        ]

    plan_queries("instructors", rows(2), tree["admin"])  # the actor's scope, once
    assert plan_queries("instructors", rows(3), tree["admin"]) == plan_queries(
        "instructors", rows(10), tree["admin"]
    )
