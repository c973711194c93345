"""Importing federations: within the actor's subtree only, the root not re-parented, codes
checked against GB/T 2260 and unique, a move through update_federation."""

from tests import factories
from zhidao.imports import services
from zhidao.imports.exporting import export_workbook
from zhidao.imports.kinds import get_kind
from zhidao.orgs.models import Federation

from .conftest import federation_row, xlsx

KIND = get_kind("federations")


def run(actor, rows, dry_run=False):
    upload = xlsx(rows, kind="federations")
    return services.import_now(actor=actor, kind=KIND, upload=upload, dry_run=dry_run)


def test_a_new_city_and_its_district_in_one_file_are_created_with_their_paths(tree):
    outcome = run(
        tree["admin"],
        [
            federation_row("湘潭县总工会", "湘潭市总工会", region_code="430321"),
            federation_row("湘潭高新区总工会", "湘潭市总工会", short_name="高新区总工会"),
        ],
    )
    assert outcome.summary["errors"] == [], outcome.summary
    assert outcome.summary["created"] == 2
    county = Federation.objects.unscoped().get(region_code="430321")
    zone = Federation.objects.unscoped().get(name="湘潭高新区总工会")
    assert county.parent == tree["city"] and county.path.startswith(tree["city"].path)
    assert zone.parent == tree["city"] and zone.region_code == ""


def test_a_parent_created_by_an_earlier_row_of_the_file_is_accepted(tree):
    admin = factories.federation_admin(tree["province"])
    outcome = run(
        admin,
        [
            federation_row("衡阳市总工会", "湖南省总工会", level="市级", region_code="430400"),
            federation_row("珠晖区总工会", "衡阳市总工会", region_code="430405"),
        ],
    )
    assert outcome.summary["errors"] == [], outcome.summary
    district = Federation.objects.unscoped().get(region_code="430405")
    assert district.parent.region_code == "430400"
    assert district.path.startswith(district.parent.path)


def test_an_unknown_parent_a_bad_code_and_a_level_not_below_are_named(tree):
    outcome = run(
        tree["admin"],
        [
            federation_row("甲区总工会", "不存在总工会"),
            federation_row("乙区总工会", "湘潭市总工会", region_code="999999"),
            federation_row("丙市总工会", "雨湖区总工会", level="市级"),
        ],
    )
    errors = {(e["row"], e["column"]): e["message"] for e in outcome.summary["errors"]}
    assert "不存在总工会" in errors[(2, "上级工会")]
    assert "GB/T 2260" in errors[(3, "行政区划代码")]
    assert "层级必须低于" in errors[(4, "级别")]
    assert not Federation.objects.unscoped().filter(name__in=["甲区总工会", "乙区总工会"]).exists()


def test_a_district_admin_cannot_create_under_the_city_nor_touch_it(tree):
    outcome = run(
        tree["yuhu_admin"],
        [
            federation_row("岳塘新区总工会", "湘潭市总工会"),
            federation_row("湘潭市总工会", "湖南省总工会", level="市级", region_code="430300"),
        ],
    )
    rows = {e["row"]: e["message"] for e in outcome.summary["errors"]}
    assert "没有名为“湘潭市总工会”" in rows[2]
    assert "没有名为“湖南省总工会”" in rows[3]
    assert not Federation.objects.unscoped().filter(name="岳塘新区总工会").exists()


def test_a_code_of_another_city_cannot_be_taken(tree):
    outcome = run(tree["admin"], [federation_row("株洲", "湘潭市总工会", region_code="430200")])
    (error,) = outcome.summary["errors"]
    assert "株洲市总工会" in error["message"]


def test_the_root_is_updated_but_never_re_parented(tree):
    renamed = run(
        tree["admin"],
        [federation_row("湘潭市总工会", "湖南省总工会", "市级", "430300", short_name="湘潭总工会")],
    )
    assert renamed.summary["updated"] == 1
    tree["city"].refresh_from_db()
    assert tree["city"].short_name == "湘潭总工会"
    moved = run(tree["admin"], [federation_row("湘潭市总工会", "雨湖区总工会", "市级", "430300")])
    (error,) = moved.summary["errors"]
    assert error["column"] == "上级工会"
    tree["city"].refresh_from_db()
    assert tree["city"].parent == tree["province"]


def test_a_federation_cannot_be_moved_under_its_own_subtree(tree):
    # Below itself is always below its level too: the level is what the row is told.
    admin = factories.federation_admin(tree["province"])
    outcome = run(
        admin, [federation_row("湘潭市总工会", "雨湖区总工会", level="市级", region_code="430300")]
    )
    messages = [e["message"] for e in outcome.summary["errors"]]
    assert messages == ["层级必须低于上级工会的层级。"]
    tree["city"].refresh_from_db()
    assert tree["city"].parent == tree["province"]


def test_a_coded_federation_moves_to_its_new_parent_with_its_subtree(tree):
    admin = factories.federation_admin(tree["province"])
    outcome = run(admin, [federation_row("雨湖区总工会", "株洲市总工会", region_code="430302")])
    assert outcome.summary["updated"] == 1, outcome.summary
    tree["yuhu"].refresh_from_db()
    assert tree["yuhu"].parent == tree["zhuzhou"]
    assert tree["yuhu"].path.startswith(tree["zhuzhou"].path)


def test_the_export_re_imports_unchanged(tree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = export_workbook(KIND, tree["admin"])
    upload = SimpleUploadedFile("export.xlsx", content)
    outcome = services.import_now(actor=tree["admin"], kind=KIND, upload=upload, dry_run=True)
    expected = Federation.objects.unscoped().filter(path__startswith=tree["city"].path).count()
    assert outcome.summary == {"created": 0, "updated": 0, "unchanged": expected, "errors": []}
