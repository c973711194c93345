"""`manage.py load_demo` builds the Xiangtan scenario of the seed report, and only once."""

import re
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory, TestCase

from zhidao.accounts.models import Role, RoleGrant, User
from zhidao.demo import data as demo_data
from zhidao.dispatch.models import (
    Assignment,
    AssignmentOrganization,
    AssignmentStatus,
    Batch,
    Instructor,
)
from zhidao.dispatch.selectors import assignments_visible_to
from zhidao.orgs.models import (
    SUB_KINDS_BY_KIND,
    Federation,
    Organization,
    OrganizationKind,
    Union,
)
from zhidao.orgs.validators import validate_credit_code
from zhidao.people.selectors import accounts_visible_to

TODAY = datetime(2026, 11, 25, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
SMALL = ["--size", "small", "--organizations", "60"]


def load_demo(*extra: str) -> str:
    out = StringIO()
    with time_machine.travel(TODAY, tick=False):
        call_command("load_demo", *SMALL, *extra, stdout=out)
    return out.getvalue()


def printed_logins(output: str) -> dict[str, str]:
    """username -> password, read from the table the command prints."""
    logins = {}
    for line in output.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) == 4 and re.fullmatch(r"[a-z_]+", cells[1]):
            logins[cells[1]] = cells[2]
    return logins


def assigned_organizations(instructor_name: str, batch_name: str) -> set[str]:
    return set(
        Organization.objects.filter(
            assignments__instructor__name=instructor_name,
            assignments__batch__name=batch_name,
        ).values_list("name", flat=True)
    )


def snapshot() -> dict:
    models = [
        Federation,
        Organization,
        Union,
        User,
        RoleGrant,
        Instructor,
        Batch,
        Assignment,
        AssignmentOrganization,
    ]
    return {
        "counts": {model.__name__: model.objects.count() for model in models},
        "credit_codes": sorted(Organization.objects.values_list("credit_code", flat=True)),
        "usernames": sorted(User.objects.values_list("username", flat=True)),
    }


class TestDemoScenario(TestCase):
    """One load shared by the read-only checks (setUpTestData runs once per class)."""

    @classmethod
    def setUpTestData(cls):
        cls.output = load_demo()

    def test_federation_tree_runs_from_the_province_to_xiangtan_districts(self):
        city = Federation.objects.get(name="湘潭市总工会")
        assert city.parent.name == "湖南省总工会"
        assert city.level == "city"
        districts = set(city.children.values_list("name", flat=True))
        assert {
            "雨湖区总工会",
            "岳塘区总工会",
            "湘潭县总工会",
            "湘乡市总工会",
            "韶山市总工会",
            "湘潭高新区总工会",
            "湘潭经开区总工会",
        } <= districts
        assert all(
            path.startswith(city.path) for path in city.children.values_list("path", flat=True)
        )

    def test_ouyang_xinjian_is_dispatched_to_geely_from_the_first_term(self):
        assert "湖南吉利汽车部件有限公司" in assigned_organizations("欧阳新建", "第一期")
        assert "湖南吉利汽车部件有限公司" in assigned_organizations("欧阳新建", "第六期")
        assert Union.objects.get(name="湖南吉利汽车部件有限公司工会").organizations.count() == 1

    def test_zou_qian_is_dispatched_to_the_private_university_in_april_2021(self):
        university = Organization.objects.get(name="湖南软件职业技术大学")
        assert university.kind == OrganizationKind.NEW_SOCIAL
        assert university.sub_kind == "private_non_enterprise"
        assert university.union.chair_name == "尚湘文"
        first = Assignment.objects.get(instructor__name="邹谦", batch__name="第一期")
        assert first.starts_on == date(2021, 4, 1)
        assert set(first.organizations.values_list("name", flat=True)) == {"湖南软件职业技术大学"}

    def test_peng_donggui_is_dispatched_to_the_gas_company(self):
        (gas_company,) = assigned_organizations("彭东贵", "第一期")
        assert gas_company == demo_data.GAS_COMPANY.name
        assert "燃气" in gas_company
        assert Organization.objects.get(name=gas_company).industry == "D"

    def test_first_term_has_eight_instructors_and_the_second_nine(self):
        def instructors_in(batch_name):
            return Instructor.objects.filter(assignments__batch__name=batch_name).distinct().count()

        assert instructors_in("第一期") == 8
        assert instructors_in("第二期") == 9
        assert Batch.objects.get(name="第一期").starts_on == date(2021, 4, 1)

    def test_only_the_current_terms_are_active_on_the_demo_day(self):
        current = Batch.objects.get(federation__name="湘潭市总工会", year=2026)
        assert current.starts_on == date(2026, 3, 1)
        this_year = Assignment.objects.filter(batch__year=2026)
        assert set(this_year.values_list("status", flat=True)) == {AssignmentStatus.ACTIVE}
        earlier = Assignment.objects.exclude(batch__year=2026)
        assert set(earlier.values_list("status", flat=True)) == {AssignmentStatus.COMPLETED}

    def test_district_admin_sees_the_active_assignments_of_its_own_district_only(self):
        yuhu_admin = User.objects.get(username="yuhu_admin")
        visible = assignments_visible_to(yuhu_admin)
        assert visible.filter(status=AssignmentStatus.ACTIVE).exists()
        federations = set(visible.values_list("batch__federation__name", flat=True))
        assert federations == {"雨湖区总工会"}

    def test_district_admin_administers_the_accounts_of_its_own_district_only(self):
        yuhu_admin = User.objects.get(username="yuhu_admin")
        visible = list(accounts_visible_to(yuhu_admin))
        # Counted independently: everybody holding a role in 雨湖区 or one of its unions, and
        # its own instructors.
        in_yuhu = (
            set(
                Instructor.objects.filter(federation__name="雨湖区总工会").values_list(
                    "user", flat=True
                )
            )
            | set(
                RoleGrant.objects.filter(federation__name="雨湖区总工会").values_list(
                    "user", flat=True
                )
            )
            | set(
                RoleGrant.objects.filter(union__federation__name="雨湖区总工会").values_list(
                    "user", flat=True
                )
            )
        )
        assert {account.pk for account in visible} == in_yuhu
        assert len(visible) > 1  # its officers, not only itself
        assert "admin" not in {account.username for account in visible}

    def test_every_organization_has_a_valid_credit_code_and_consistent_kind(self):
        organizations = list(Organization.objects.all())
        assert len(organizations) == 60
        for organization in organizations:
            validate_credit_code(organization.credit_code)
            assert organization.sub_kind in SUB_KINDS_BY_KIND[organization.kind]
            organization.full_clean()

    def test_every_printed_login_authenticates_with_the_printed_password(self):
        logins = printed_logins(self.output)
        assert set(logins) == {login.username for login in demo_data.LOGINS}
        request = RequestFactory().post("/accounts/login/")
        for username, password in logins.items():
            user = authenticate(request, username=username, password=password)
            assert user is not None, username

    def test_each_login_carries_the_role_and_scope_it_is_printed_with(self):
        def grant_of(username):
            return RoleGrant.objects.select_related("federation", "union").get(
                user__username=username
            )

        assert grant_of("admin").role == Role.FEDERATION_ADMIN
        assert grant_of("admin").federation.name == "湘潭市总工会"
        assert grant_of("yuhu_admin").federation.name == "雨湖区总工会"
        assert grant_of("leader").role == Role.FEDERATION_LEADER
        assert grant_of("geely_chair").union.name == "湖南吉利汽车部件有限公司工会"
        assert Instructor.objects.get(user__username="ouyang").name == "欧阳新建"
        assert Instructor.objects.get(user__username="zouqian").name == "邹谦"
        root = User.objects.get(username="root")
        assert root.is_superuser and not root.role_grants.exists()


def test_running_twice_changes_nothing(db):
    load_demo()
    before = snapshot()
    output = load_demo()
    assert "already loaded" in output
    assert snapshot() == before
    assert set(printed_logins(output)) == {login.username for login in demo_data.LOGINS}


@pytest.mark.django_db(transaction=True)
def test_reset_wipes_and_loads_the_same_data_again():
    # A real transaction: PostgreSQL cannot TRUNCATE (flush) rows inserted in the same one.
    load_demo()
    before = snapshot()
    output = load_demo("--reset", "--noinput")
    assert "Demo loaded" in output
    assert snapshot() == before
