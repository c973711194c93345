"""The assignments kind driven directly: rows → plan → apply, against expectations written here."""

from datetime import date

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
from zhidao.dispatch.models import Assignment

pytestmark = pytest.mark.django_db

CODES = "派驻组织统一社会信用代码"


@pytest.fixture
def tree():
    world = xiangtan()
    world["orgs"] = [factories.OrganizationFactory(federation=world["yuhu"]) for _ in range(3)]
    world["yuetang_org"] = factories.OrganizationFactory(federation=world["yuetang"])
    world["other_org"] = factories.OrganizationFactory(federation=world["other"])
    world["batch"] = factories.BatchFactory(
        federation=world["city"],
        name="第六期",
        starts_on=date(2026, 3, 1),
        ends_on=date(2027, 2, 28),
    )
    world["yuhu_batch"] = factories.BatchFactory(
        federation=world["yuhu"], name="雨湖区第三期", starts_on=date(2026, 3, 1)
    )
    world["ouyang"] = factories.InstructorFactory(
        name="欧阳新建", federation=world["city"], user__username="ouyang"
    )
    world["yh"] = factories.InstructorFactory(
        name="雨湖指导员", federation=world["yuhu"], user__username="yh"
    )
    world["yt"] = factories.InstructorFactory(
        name="岳塘指导员", federation=world["yuetang"], user__username="yt"
    )
    world["zz"] = factories.InstructorFactory(
        name="株洲指导员", federation=world["other"], user__username="zz"
    )
    return world


def assignment_row(covered, **fields) -> dict:
    row = {
        "batch": "第六期",
        "instructor": "ouyang",
        "instructor_name": "",
        "organizations": "、".join(o.credit_code for o in covered),
        "starts_on": "",
        "ends_on": "",
        "min_days_per_week": "",
        "notes": "",
    }
    row.update(fields)
    return row


def links(assignment: Assignment) -> list:
    return [link.organization for link in assignment.organization_links.order_by("id")]


def test_new_assignments_take_the_batch_dates_and_the_organizations_in_order(tree):
    first, second, third = tree["orgs"]
    rows = [
        assignment_row([second, first], instructor_name="欧阳新建"),
        assignment_row(
            [third],
            batch="雨湖区第三期",
            instructor="yh",
            starts_on="2026/6/1",
            min_days_per_week="2",
            notes="每周二驻点",
        ),
    ]
    planned, accounts = run("assignments", rows, tree["admin"])

    assert planned.summary() == {"created": 2, "updated": 0, "unchanged": 0, "errors": []}
    assert accounts == []
    city = Assignment.objects.get(batch=tree["batch"], instructor=tree["ouyang"])
    # the batch's start, one year on: the batch's end
    assert (city.starts_on, city.ends_on, city.min_days_per_week) == (
        date(2026, 3, 1),
        date(2027, 2, 28),
        1,
    )
    assert links(city) == [second, first]  # the first listed is the primary organization
    district = Assignment.objects.get(batch=tree["yuhu_batch"], instructor=tree["yh"])
    # one year from 1 June would pass the batch's end (28 February 2027): the batch's end
    assert (district.starts_on, district.ends_on, district.min_days_per_week) == (
        date(2026, 6, 1),
        date(2027, 2, 28),
        2,
    )
    assert (links(district), district.notes) == ([third], "每周二驻点")


def test_the_same_file_again_and_the_export_change_nothing(tree):
    first, second, third = tree["orgs"]
    rows = [
        assignment_row([second, first]),
        assignment_row([third], batch="雨湖区第三期", instructor="yh", ends_on="2026-12-31"),
    ]
    run("assignments", rows, tree["admin"])
    assert plan("assignments", rows, tree["admin"]).summary()["unchanged"] == 2

    exported = export_rows("assignments", tree["admin"])
    assert {row["organizations"] for row in exported} == {
        f"{second.credit_code}、{first.credit_code}",
        third.credit_code,
    }
    assert {(row["instructor"], row["instructor_name"], row["ends_on"]) for row in exported} == {
        ("ouyang", "欧阳新建", "2027-02-28"),
        ("yh", "雨湖指导员", "2026-12-31"),
    }
    again = plan("assignments", exported, tree["admin"])
    assert again.summary() == {"created": 0, "updated": 0, "unchanged": 2, "errors": []}


def test_a_changed_row_updates_the_assignment_of_the_batch_and_instructor(tree):
    first, second, third = tree["orgs"]
    run("assignments", [assignment_row([first, second])], tree["admin"])
    assignment = Assignment.objects.get()

    # Only the order differs: nothing to change (the primary organization stays).
    reordered = plan("assignments", [assignment_row([second, first])], tree["admin"])
    assert reordered.summary()["unchanged"] == 1

    row = assignment_row([first, third], ends_on="2026-12-31", min_days_per_week="3")
    planned = plan("assignments", [row], tree["admin"])
    assert planned.summary()["updated"] == 1
    assert set(planned.rows[0].changes) == {"organizations", "ends_on", "min_days_per_week"}
    apply("assignments", planned, tree["admin"])

    assignment.refresh_from_db()
    assert (assignment.starts_on, assignment.ends_on, assignment.min_days_per_week) == (
        date(2026, 3, 1),
        date(2026, 12, 31),
        3,
    )
    assert links(assignment) == [first, third]
    assert Assignment.objects.count() == 1


def test_every_bad_row_is_named_with_its_column_and_reason(tree):
    first, second, third = tree["orgs"]
    factories.BatchFactory(federation=tree["city"], name="共同期", starts_on=date(2026, 1, 1))
    factories.BatchFactory(federation=tree["yuhu"], name="共同期", starts_on=date(2026, 1, 1))
    # yh is already at the third organization for the yuhu batch's dates
    factories.make_assignment(
        instructor=tree["yh"], organizations=[third], batch=tree["yuhu_batch"]
    )
    unknown = factories.credit_code()
    rows = [
        assignment_row([first], batch="第九期"),  # 2
        assignment_row([first], batch="共同期"),  # 3
        assignment_row([first], instructor="nobody"),  # 4
        assignment_row([first], instructor="zz"),  # 5
        assignment_row([first], instructor="yh", instructor_name="欧阳新建"),  # 6
        assignment_row([first], instructor="yt", organizations=unknown),  # 7
        assignment_row([tree["other_org"]], instructor="yt", batch="雨湖区第三期"),  # 8
        assignment_row(
            [second], instructor="yh", starts_on="2026-05-01", ends_on="2026-04-30"
        ),  # 9
        assignment_row([first], instructor="yt", min_days_per_week="8"),  # 10
        assignment_row([third], instructor="yh"),  # 11
        assignment_row([first], instructor="ouyang"),  # 12
        assignment_row([first], instructor="ouyang", batch="共同期", starts_on="2026-04-01"),  # 13
        assignment_row([first], instructor="ouyang"),  # 14
    ]
    found = errors(plan("assignments", rows, tree["admin"]))
    assert (2, "批次", "您管理的工会中没有名为“第九期”的批次。") in found
    assert (
        3,
        "批次",
        "您管理的多个工会都有名为“共同期”的批次（湘潭市总工会、雨湖区总工会），请先将其中一个改名。",
    ) in found
    assert (4, "指导员登录账号", "没有登录账号为“nobody”的指导员。") in found
    assert (
        5,
        "指导员登录账号",
        "登录账号“zz”是株洲市总工会的指导员，不在您管理的工会范围内。",
    ) in found
    assert (6, "指导员姓名", "登录账号“yh”属于雨湖指导员。") in found
    assert (7, CODES, f"系统中没有统一社会信用代码为{unknown}的组织。") in found
    assert (
        8,
        CODES,
        f"统一社会信用代码为{tree['other_org'].credit_code}的组织属于株洲市总工会，"
        "不在您管理的工会范围内。",
    ) in found
    assert (8, "指导员登录账号", "该指导员不属于本派驻批次所在的工会。") in found
    assert (9, "结束日期", "结束日期早于开始日期") in found
    assert (10, "每周最少驻点天数", "请填写1至7之间的数。") in found
    assert (
        11,
        CODES,
        f"雨湖指导员已于 2026-03-01 至 2027-02-28 派驻{third.name}，与本次派驻日期重叠。",
    ) in found
    assert (
        14,
        "批次、指导员登录账号",
        "批次、指导员登录账号与本文件第12行重复。",
    ) in found
    assert {row for row, _c, _m in found} == {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14}


def test_two_rows_of_the_file_that_overlap_are_an_error(tree):
    first = tree["orgs"][0]
    factories.BatchFactory(federation=tree["city"], name="第七期", starts_on=date(2026, 9, 1))
    rows = [
        assignment_row([first]),
        assignment_row([first], batch="第七期"),
    ]
    found = errors(plan("assignments", rows, tree["admin"]))
    assert found == [
        (
            3,
            CODES,
            f"欧阳新建已于 2026-03-01 至 2027-02-28 派驻{first.name}，与本次派驻日期重叠。"
            "（本文件第2行）",
        )
    ]


def test_a_district_admin_cannot_reach_outside_its_district(tree):
    first = tree["orgs"][0]
    planned = plan(
        "assignments",
        [
            assignment_row([first], instructor="yh"),
            assignment_row([first], batch="雨湖区第三期", instructor="yt"),
            assignment_row([tree["yuetang_org"]], batch="雨湖区第三期", instructor="yh"),
        ],
        tree["yuhu_admin"],
    )
    found = errors(planned)
    assert (2, "批次", "您管理的工会中没有名为“第六期”的批次。") in found
    assert (
        3,
        "指导员登录账号",
        "登录账号“yt”是岳塘区总工会的指导员，不在您管理的工会范围内。",
    ) in found
    assert (
        4,
        CODES,
        f"统一社会信用代码为{tree['yuetang_org'].credit_code}的组织属于岳塘区总工会，"
        "不在您管理的工会范围内。",
    ) in found
    # Its export holds its district's batch only.
    run("assignments", [assignment_row([first], instructor="ouyang")], tree["admin"])
    run(
        "assignments",
        [assignment_row([first], batch="雨湖区第三期", instructor="yh")],
        tree["admin"],
    )
    assert [row["batch"] for row in export_rows("assignments", tree["yuhu_admin"])] == [
        "雨湖区第三期"
    ]


def test_the_templates_example_rows_import_in_turn_into_xiangtan(tree):
    """The example rows of the organizations, unions, instructors and assignments templates
    name 雨湖区总工会, 第六期 and each other: imported in that order they all go in."""
    from zhidao.imports.kinds import get_kind
    from zhidao.imports.template_workbook import build_template

    created = {}
    for key in ("organizations", "unions", "instructors", "assignments"):
        kind = get_kind(key)
        assert build_template(kind)[:2] == b"PK"  # an .xlsx
        example = {column.key: column.example for column in kind.columns}
        planned, accounts = run(key, [example], tree["admin"])
        assert planned.summary()["errors"] == []
        created[key] = (planned.summary()["created"], [a["username"] for a in accounts])
    assert created == {
        "organizations": (1, []),
        "unions": (1, ["zhangshili"]),
        "instructors": (1, ["lishili"]),
        "assignments": (1, []),
    }
    assignment = Assignment.objects.get(instructor__user__username="lishili")
    assert (assignment.batch, assignment.starts_on) == (tree["batch"], date(2026, 3, 1))


def test_planning_takes_the_same_queries_for_few_rows_as_for_many(tree):
    organizations = [factories.OrganizationFactory(federation=tree["yuhu"]) for _ in range(10)]
    instructors = [
        factories.InstructorFactory(federation=tree["yuhu"], user__username=f"i{n}")
        for n in range(10)
    ]
    for instructor, organization in zip(instructors[:5], organizations, strict=False):
        factories.make_assignment(
            instructor=instructor, organizations=[organization], batch=tree["yuhu_batch"]
        )

    def rows(count: int) -> list[dict]:
        return [
            assignment_row([organizations[n]], batch="雨湖区第三期", instructor=f"i{n}")
            for n in range(count)
        ]

    plan_queries("assignments", rows(2), tree["admin"])  # the actor's scope, once
    assert plan_queries("assignments", rows(3), tree["admin"]) == plan_queries(
        "assignments", rows(10), tree["admin"]
    )
