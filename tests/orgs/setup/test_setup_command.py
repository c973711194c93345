"""manage.py setup_federation: a real federation's tree and first admin, from zero."""

import csv
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from zhidao.accounts.models import Role, RoleGrant, User
from zhidao.orgs import divisions
from zhidao.orgs.models import Federation, FederationLevel
from zhidao.orgs.services import create_federation, update_federation

pytestmark = pytest.mark.django_db

# Written out here, not read from the data file: 湘潭市's county-level divisions.
XIANGTAN = {
    "430302": "雨湖区总工会",
    "430304": "岳塘区总工会",
    "430321": "湘潭县总工会",
    "430381": "湘乡市总工会",
    "430382": "韶山市总工会",
}
NEW_PASSWORD = "Xiangtan#2027"


def setup_federation(*args: str) -> str:
    out = StringIO()
    call_command("setup_federation", *args, stdout=out)
    return out.getvalue()


def one_time_password(output: str) -> str:
    line = next(line for line in output.splitlines() if "One-time password:" in line)
    return line.rsplit(":", 1)[1].strip()


def snapshot() -> dict:
    return {
        "federations": list(
            Federation.objects.order_by("pk").values_list(
                "pk", "name", "path", "parent_id", "region_code", "updated_at"
            )
        ),
        "users": list(User.objects.order_by("pk").values_list("pk", "username", "password")),
        "grants": list(RoleGrant.objects.order_by("pk").values_list("pk", "user_id", "role")),
    }


def test_xiangtan_gets_its_city_federation_and_its_five_county_federations():
    output = setup_federation("--division", "430300", "--admin-username", "xt_admin")

    city = Federation.objects.get(parent=None)
    assert (city.name, city.level, city.region_code) == (
        "湘潭市总工会",
        FederationLevel.CITY,
        "430300",
    )
    children = {f.region_code: f.name for f in city.children.all()}
    assert children == XIANGTAN
    assert set(city.children.values_list("level", flat=True)) == {FederationLevel.DISTRICT}
    assert all(f.path.startswith(city.path) for f in city.children.all())
    assert Federation.objects.count() == 6
    assert "共 6 个工会" in output and "6 federations: 6 created" in output


def test_the_city_can_be_named_instead_of_coded():
    setup_federation("--division", "湘潭市", "--admin-username", "xt_admin")
    assert Federation.objects.get(parent=None).region_code == "430300"


def test_the_admin_gets_a_one_time_password_logs_in_and_sees_the_tree(client):
    output = setup_federation("--division", "430300", "--admin-username", "xt_admin")
    password = one_time_password(output)
    admin = User.objects.get(username="xt_admin")
    assert admin.must_change_password
    assert admin.full_name == "湘潭市总工会管理员"
    assert RoleGrant.objects.filter(
        user=admin, role=Role.FEDERATION_ADMIN, federation__region_code="430300"
    ).exists()

    login = client.post(reverse("accounts:login"), {"username": "xt_admin", "password": password})
    assert login.status_code == 302
    # The password someone else chose is replaced before anything else.
    assert client.get(reverse("orgs:federation_list")).url == reverse("accounts:password_change")
    changed = client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    page = client.get(reverse("orgs:federation_list")).content.decode()
    for name in ["湘潭市总工会", *XIANGTAN.values()]:
        assert name in page


def test_a_given_password_is_checked_against_the_password_rules_and_saves_nothing():
    with pytest.raises(CommandError, match="Nothing was saved"):
        setup_federation(
            "--division", "430300", "--admin-username", "xt_admin", "--admin-password", "123"
        )
    assert Federation.objects.count() == 0 and User.objects.count() == 0


def test_a_given_password_logs_in(client):
    output = setup_federation(
        "--division", "430300", "--admin-username", "xt_admin", "--admin-password", "Lianc#2026x"
    )
    assert "One-time password" not in output
    login = client.post(
        reverse("accounts:login"), {"username": "xt_admin", "password": "Lianc#2026x"}
    )
    assert login.status_code == 302 and login.url == reverse("core:home")


def test_a_province_gets_its_cities_and_their_counties():
    setup_federation("--division", "湖南省", "--admin-username", "hn_admin")

    # Counted from the data file itself, and checked against the known figures: Hunan has 14
    # prefecture-level divisions (13 cities and 湘西州) and 122 county-level ones.
    with divisions.DATA_FILE.open(encoding="utf-8", newline="") as handle:
        hunan = [row for row in csv.DictReader(handle) if row["code"].startswith("43")]
    prefectures = [row for row in hunan if row["level"] == "prefecture"]
    counties = [row for row in hunan if row["level"] == "county"]
    assert (len(prefectures), len(counties)) == (14, 122)

    province = Federation.objects.get(parent=None)
    assert (province.name, province.level) == ("湖南省总工会", FederationLevel.PROVINCE)
    cities = Federation.objects.filter(parent=province)
    assert {f.region_code for f in cities} == {row["code"] for row in prefectures}
    assert set(cities.values_list("level", flat=True)) == {FederationLevel.CITY}
    districts = Federation.objects.filter(level=FederationLevel.DISTRICT)
    assert {f.region_code: f.parent.region_code for f in districts} == {
        row["code"]: row["parent_code"] for row in counties
    }
    assert Federation.objects.count() == 1 + 14 + 122
    xiangxi = Federation.objects.get(region_code="433100")
    assert (xiangxi.name, xiangxi.short_name) == ("湘西土家族苗族自治州总工会", "湘西州总工会")


def test_a_municipality_gets_its_districts_directly():
    setup_federation("--division", "北京市", "--admin-username", "bj_admin")
    root = Federation.objects.get(parent=None)
    assert (root.name, root.level) == ("北京市总工会", FederationLevel.PROVINCE)
    assert root.children.get(region_code="110108").name == "海淀区总工会"
    assert set(root.children.values_list("level", flat=True)) == {FederationLevel.DISTRICT}


def test_running_it_twice_changes_nothing(time_machine):
    first = setup_federation("--division", "430300", "--admin-username", "xt_admin")
    before = snapshot()
    time_machine.shift(timedelta(days=3))

    second = setup_federation("--division", "430300", "--admin-username", "xt_admin")

    assert snapshot() == before
    assert "6 created" in first
    assert "0 created, 6 already there" in second and "One-time password" not in second


def test_names_edited_since_are_kept():
    setup_federation("--division", "430300", "--admin-username", "xt_admin")
    yuhu = Federation.objects.get(region_code="430302")
    update_federation(federation=yuhu, name="湘潭市雨湖区总工会")

    setup_federation("--division", "430300", "--admin-username", "xt_admin")

    assert Federation.objects.get(region_code="430302").name == "湘潭市雨湖区总工会"
    assert Federation.objects.count() == 6


def test_a_name_can_be_given_for_a_federation_to_create():
    setup_federation(
        "--division",
        "430300",
        "--admin-username",
        "xt_admin",
        "--name",
        "430300=湘潭市总工会（筹）",
    )
    assert Federation.objects.get(region_code="430300").name == "湘潭市总工会（筹）"


def test_a_city_goes_under_its_province_federation_when_there_is_one():
    setup_federation("--division", "430300", "--admin-username", "xt_admin")
    province = Federation.objects.create(
        name="湖南省总工会", level="province", path="0009.", region_code="430000"
    )
    setup_federation("--division", "430100", "--admin-username", "cs_admin")
    changsha = Federation.objects.get(region_code="430100")
    assert changsha.parent == province and changsha.path.startswith(province.path)
    assert changsha.children.count() == 9


def test_a_federation_entered_by_hand_without_a_code_is_given_it_not_doubled():
    setup_federation("--division", "430300", "--admin-username", "xt_admin")
    city = Federation.objects.get(region_code="430300")
    update_federation(federation=Federation.objects.get(region_code="430302"), region_code="")

    output = setup_federation("--division", "430300", "--admin-username", "xt_admin")

    assert Federation.objects.filter(parent=city, name="雨湖区总工会").count() == 1
    assert Federation.objects.get(name="雨湖区总工会").region_code == "430302"
    assert "1 given their division code" in output


def test_a_username_of_another_account_is_refused_and_nothing_is_saved():
    User.objects.create_user(username="xt_admin", password="Other#Pass2026")
    with pytest.raises(CommandError, match="xt_admin"):
        setup_federation("--division", "430300", "--admin-username", "xt_admin")
    assert Federation.objects.count() == 0
    assert not RoleGrant.objects.exists()


@pytest.mark.parametrize(
    ("division", "message"),
    [
        ("雨湖区", "县级行政区"),
        ("火星市", "没有"),
        ("999999", "没有"),
    ],
)
def test_a_county_or_an_unknown_division_is_refused(division, message):
    with pytest.raises(CommandError, match=message):
        setup_federation("--division", division, "--admin-username", "x_admin")
    assert Federation.objects.count() == 0


def test_dry_run_shows_the_tree_and_saves_nothing():
    output = setup_federation("--division", "430300", "--admin-username", "xt_admin", "--dry-run")
    assert "湘潭市总工会 (430300 湘潭市)" in output and "  雨湖区总工会 (430302 雨湖区)" in output
    assert Federation.objects.count() == 0 and User.objects.count() == 0


def test_two_federations_cannot_share_a_division_code():
    create_federation(name="湘潭市总工会", level="city", region_code="430300")
    with pytest.raises(ValidationError) as error:
        create_federation(name="另一个总工会", level="city", region_code="430300")
    assert "region_code" in error.value.message_dict
    create_federation(name="湘潭高新区总工会", level="district", region_code="")
    create_federation(name="湘潭经开区总工会", level="district", region_code="")
