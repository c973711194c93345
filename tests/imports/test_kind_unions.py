"""The unions kind driven directly: rows → plan → apply, against expectations written here."""

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
from zhidao.accounts.models import Role, RoleGrant, User
from zhidao.orgs.models import Organization, Union

pytestmark = pytest.mark.django_db

CODES = "覆盖组织统一社会信用代码"


@pytest.fixture
def tree():
    world = xiangtan()
    world["orgs"] = [
        factories.OrganizationFactory(name=f"雨湖企业{n}", federation=world["yuhu"])
        for n in range(4)
    ]
    world["yuetang_org"] = factories.OrganizationFactory(federation=world["yuetang"])
    world["other_org"] = factories.OrganizationFactory(federation=world["other"])
    return world


def union_row(covered, **fields) -> dict:
    row = {
        "name": "雨湖企业工会委员会",
        "federation": "雨湖区总工会",
        "organizations": "、".join(o.credit_code for o in covered),
        "is_joint": "是" if len(covered) > 1 else "否",
        "founded_on": "2020-05-01",
        "chair_name": "张主席",
        "member_count": "80",
        "status": "正常",
    }
    row.update(fields)
    return row


def test_new_unions_are_created_with_their_organizations_and_chair_accounts(tree):
    first, second, third = tree["orgs"][:3]
    rows = [
        union_row([first], chair_username="zhangzhuxi", chair_phone="138 1234 5678"),
        # a joint union: codes separated by a full-width semicolon and a line break
        union_row(
            [second, third],
            name="雨湖联合工会",
            organizations=f"{third.credit_code}；\n{second.credit_code}",
            member_count="",
        ),
    ]
    planned, accounts = run("unions", rows, tree["admin"])

    assert planned.summary() == {"created": 2, "updated": 0, "unchanged": 0, "errors": []}
    single = Union.objects.get(name="雨湖企业工会委员会")
    joint = Union.objects.get(name="雨湖联合工会")
    assert (single.federation, single.is_joint, single.founded_on) == (
        tree["yuhu"],
        False,
        date(2020, 5, 1),
    )
    assert (joint.is_joint, joint.member_count) == (True, 0)
    assert set(Organization.objects.filter(union=joint)) == {second, third}
    assert list(Organization.objects.filter(union=single)) == [first]
    # One account was made, for row 2's chair, with a one-time password to change at login.
    assert [(a["row"], a["username"]) for a in accounts] == [(2, "zhangzhuxi")]
    chair = User.objects.get(username="zhangzhuxi")
    assert chair.check_password(accounts[0]["password"])
    assert chair.must_change_password
    assert chair.phone == "13812345678"
    assert list(chair.role_grants.values_list("role", "union")) == [(Role.UNION_OFFICER, single.pk)]


def test_the_same_file_again_and_the_export_change_nothing(tree):
    first, second, third = tree["orgs"][:3]
    rows = [
        union_row([first], chair_username="zhangzhuxi", chair_phone="13812345678"),
        union_row([second, third], name="雨湖联合工会", chair_username="", chair_phone=""),
    ]
    run("unions", rows, tree["admin"])
    again = plan("unions", rows, tree["admin"])
    assert again.summary() == {"created": 0, "updated": 0, "unchanged": 2, "errors": []}

    exported = export_rows("unions", tree["admin"])
    assert {row["organizations"] for row in exported} == {
        first.credit_code,
        "、".join(sorted([second.credit_code, third.credit_code])),
    }
    assert "zhangzhuxi" in {row["chair_username"] for row in exported}
    assert plan("unions", exported, tree["admin"]).summary()["unchanged"] == 2


def test_a_changed_row_updates_its_union_and_its_organization_links(tree):
    first, second, third, fourth = tree["orgs"]
    run("unions", [union_row([first, second], name="联合工会")], tree["admin"])
    union = Union.objects.get()

    row = union_row([first, third, fourth], name="联合工会", member_count="95")
    planned = plan("unions", [row], tree["admin"])
    assert planned.summary()["updated"] == 1
    assert planned.rows[0].instance == union
    assert set(planned.rows[0].changes) == {"organizations", "member_count"}
    assert apply("unions", planned, tree["admin"]) == []

    union.refresh_from_db()
    assert union.member_count == 95
    assert set(Organization.objects.filter(union=union)) == {first, third, fourth}
    assert Organization.objects.get(pk=second.pk).union is None
    assert Union.objects.count() == 1


def test_an_existing_account_of_the_subtree_is_given_the_officer_role(tree):
    leader = factories.federation_leader(tree["yuhu"], username="yuhu_leader")
    planned, accounts = run(
        "unions", [union_row([tree["orgs"][0]], chair_username="yuhu_leader")], tree["admin"]
    )
    assert accounts == []
    union = Union.objects.get()
    assert set(leader.role_grants.values_list("role", flat=True)) == {
        Role.FEDERATION_LEADER,
        Role.UNION_OFFICER,
    }
    assert RoleGrant.objects.get(user=leader, role=Role.UNION_OFFICER).union == union
    # Naming a second officer of the union changes nothing on the next import.
    factories.union_officer(union, username="second_officer")
    again = plan(
        "unions", [union_row([tree["orgs"][0]], chair_username="second_officer")], tree["admin"]
    )
    assert again.summary()["unchanged"] == 1


def test_every_bad_row_is_named_with_its_column_and_reason(tree):
    first, second, third, fourth = tree["orgs"]
    taken = factories.union_officer(
        factories.UnionFactory(federation=tree["other"]), username="zhuzhou_officer"
    )
    factories.UnionFactory(name="甲工会", federation=tree["yuhu"]).organizations.add(second)
    factories.UnionFactory(name="乙工会", federation=tree["yuhu"]).organizations.add(third)
    foreign = factories.UnionFactory(name="株洲工会", federation=tree["other"])
    foreign.organizations.add(fourth)
    unknown = factories.credit_code()
    wrong_check = first.credit_code[:-1] + ("0" if first.credit_code[-1] != "0" else "1")
    rows = [
        union_row([first], federation="长沙市总工会"),  # 2
        union_row([first], organizations=unknown),  # 3
        union_row([first], organizations=tree["other_org"].credit_code),  # 4
        union_row([second, third]),  # 5
        union_row([first], organizations=f"{first.credit_code}、{wrong_check}"),  # 6
        union_row([first, tree["yuetang_org"]], is_joint="否"),  # 7
        union_row([tree["yuetang_org"]], chair_username=taken.username),  # 8
        union_row([first], chair_username="x", chair_phone="12345"),  # 9
        union_row([fourth]),  # 10
        union_row([first], chair_phone="13812345678"),  # 11
    ]
    planned = plan("unions", rows, tree["admin"])
    found = errors(planned)
    assert planned.summary()["created"] == 0
    assert (2, "所属工会", "您管理的工会中没有名为“长沙市总工会”的工会。") in found
    assert (
        3,
        CODES,
        f"系统中没有统一社会信用代码为{unknown}的组织，请先导入该组织。",
    ) in found
    assert (
        4,
        CODES,
        f"统一社会信用代码为{tree['other_org'].credit_code}的组织属于株洲市总工会，"
        "不在您管理的工会范围内。",
    ) in found
    assert (
        5,
        CODES,
        "这些组织分属不同的工会（乙工会、甲工会）：每行只能填写同一个工会的组织。",
    ) in found
    assert any(
        row == 6 and column == CODES and message.startswith(f"“{wrong_check}”")
        for row, column, message in found
    )
    assert (7, "联合工会", "覆盖多个组织的工会是联合工会，请填“是”。") in found
    assert (
        8,
        "主席登录账号",
        "登录账号“zhuzhou_officer”已被您管理范围以外的账号使用，请换一个。",
    ) in found
    assert (8, CODES, f"组织{tree['yuetang_org'].credit_code}已列在本文件第7行。") in found
    assert any(row == 9 and column == "主席手机号" for row, column, _m in found)
    assert (
        10,
        CODES,
        "这些组织已有工会株洲工会，由株洲市总工会登记，不在您管理的工会范围内。",
    ) in found
    assert (
        11,
        "主席手机号",
        "主席手机号保存在主席的账号上，请同时填写主席登录账号。",
    ) in found
    assert {row for row, _c, _m in found} == set(range(2, 12))


def test_a_union_split_over_two_rows_and_a_repeated_row_are_errors(tree):
    first, second = tree["orgs"][:2]
    run("unions", [union_row([first, second], name="联合工会")], tree["admin"])
    planned = plan(
        "unions",
        [union_row([first]), union_row([second]), union_row([second])],
        tree["admin"],
    )
    assert errors(planned) == [
        (3, CODES, "这些组织与第2行的组织同属联合工会：同一工会的组织请写在同一行。"),
        (4, CODES, f"{CODES}与本文件第3行重复。"),
    ]


def test_a_district_admin_cannot_reach_outside_its_district(tree):
    planned = plan(
        "unions",
        [
            union_row([tree["yuetang_org"]]),
            union_row([tree["orgs"][0]], federation="湘潭市总工会"),
        ],
        tree["yuhu_admin"],
    )
    found = errors(planned)
    assert (
        2,
        CODES,
        f"统一社会信用代码为{tree['yuetang_org'].credit_code}的组织属于岳塘区总工会，"
        "不在您管理的工会范围内。",
    ) in found
    assert (3, "所属工会", "您管理的工会中没有名为“湘潭市总工会”的工会。") in found
    # …and its export holds its own district's unions only.
    factories.UnionFactory(federation=tree["yuetang"])
    run("unions", [union_row([tree["orgs"][0]])], tree["yuhu_admin"])
    assert [row["federation"] for row in export_rows("unions", tree["yuhu_admin"])] == [
        "雨湖区总工会"
    ]


def test_planning_takes_the_same_queries_for_few_rows_as_for_many(tree):
    organizations = [factories.OrganizationFactory(federation=tree["yuhu"]) for _ in range(12)]
    run("unions", [union_row([o], name=f"工会{o.pk}") for o in organizations[:6]], tree["admin"])

    def queries(count: int) -> int:
        rows = [
            union_row([o], name=f"工会{o.pk}", chair_username=f"chair{o.pk}")
            for o in organizations[:count]
        ]
        return plan_queries("unions", rows, tree["admin"])

    queries(3)  # the actor's scope is computed once and kept
    assert queries(3) == queries(12)
