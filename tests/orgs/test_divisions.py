"""The bundled division list (GB/T 2260) and the federation names derived from it."""

import csv

import pytest

from zhidao.orgs import divisions

XIANGTAN_COUNTIES = {
    "430302": "雨湖区",
    "430304": "岳塘区",
    "430321": "湘潭县",
    "430381": "湘乡市",
    "430382": "韶山市",
}


def data_rows() -> list[dict]:
    with divisions.DATA_FILE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_data_file_has_the_mainland_provinces_with_unique_six_digit_codes():
    rows = data_rows()
    codes = [row["code"] for row in rows]
    assert len(codes) == len(set(codes))
    assert all(len(code) == 6 and code.isdigit() for code in codes)
    # 22 provinces, 5 autonomous regions, 4 municipalities (Taiwan, Hong Kong, Macao left out)
    kinds = [row["kind"] for row in rows if row["level"] == "province"]
    assert (kinds.count("省"), kinds.count("自治区"), kinds.count("直辖市")) == (22, 5, 4)
    assert sum(row["level"] == "prefecture" for row in rows) == 333


def test_every_parent_code_is_a_division_one_level_up():
    rows = {row["code"]: row for row in data_rows()}
    above = {"prefecture": {"province"}, "county": {"prefecture", "province"}, "province": set()}
    for row in rows.values():
        if row["parent_code"]:
            assert rows[row["parent_code"]]["level"] in above[row["level"]], row
        else:
            assert row["level"] == "province", row


def test_xiangtan_has_its_five_county_level_divisions():
    children = divisions.children_of("430300")
    assert {d.code: d.name for d in children} == XIANGTAN_COUNTIES
    assert divisions.get("430300").parent.name == "湖南省"


def test_a_division_is_found_by_code_short_code_or_name():
    assert divisions.get("4303").name == "湘潭市"
    assert divisions.get("43").name == "湖南省"
    assert [d.code for d in divisions.find("湘潭市")] == ["430300"]
    assert {d.code for d in divisions.find("朝阳区")} == {"110105", "220104"}
    assert [d.name for d in divisions.find("湘西")] == ["湘西土家族苗族自治州"]
    assert divisions.lookup("999999") == []
    assert divisions.find("  ") == []


def test_municipality_districts_and_directly_administered_cities_hang_from_the_province():
    assert {d.level for d in divisions.children_of("110000")} == {"county"}
    hubei = {d.name: d.level for d in divisions.children_of("420000")}
    assert hubei["仙桃市"] == "county" and hubei["神农架林区"] == "county"
    assert hubei["恩施土家族苗族自治州"] == "prefecture"
    assert divisions.children_of("441900") == ()  # 东莞市: no counties


@pytest.mark.parametrize(
    ("code", "name", "short_name"),
    [
        ("430000", "湖南省总工会", ""),
        ("110000", "北京市总工会", ""),
        ("450000", "广西壮族自治区总工会", ""),
        ("430300", "湘潭市总工会", ""),
        ("430302", "雨湖区总工会", ""),
        ("430321", "湘潭县总工会", ""),
        ("430381", "湘乡市总工会", ""),
        ("433100", "湘西土家族苗族自治州总工会", "湘西州总工会"),
        ("152500", "锡林郭勒盟总工会", ""),
        ("652900", "阿克苏地区总工会", ""),
        ("430529", "城步苗族自治县总工会", "城步县总工会"),
        ("500243", "彭水苗族土家族自治县总工会", "彭水县总工会"),
        ("522732", "三都水族自治县总工会", "三都县总工会"),
        ("652700", "博尔塔拉蒙古自治州总工会", "博尔塔拉州总工会"),
        ("622926", "东乡族自治县总工会", ""),
        ("429021", "神农架林区总工会", ""),
    ],
)
def test_federation_names_follow_the_division(code, name, short_name):
    division = divisions.get(code)
    assert divisions.federation_name(division) == name
    assert divisions.federation_short_name(division) == short_name


def test_every_autonomous_prefecture_gets_a_place_name_short_form():
    prefectures = [d for d in divisions.all_divisions() if d.kind == "自治州"]
    assert len(prefectures) == 30
    for division in prefectures:
        short = divisions.federation_short_name(division)
        assert short.endswith("州总工会") and "族" not in short, division
