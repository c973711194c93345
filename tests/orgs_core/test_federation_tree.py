"""The federation tree: materialized paths, one query per subtree, moves keep paths right."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from zhidao.orgs import selectors, services
from zhidao.orgs.models import Federation


@pytest.fixture
def tree(db):
    province = factories.make_federation(name="湖南省总工会", level="province")
    xiangtan = factories.make_federation(name="湘潭市总工会", parent=province)
    zhuzhou = factories.make_federation(name="株洲市总工会", parent=province)
    yuhu = factories.make_federation(name="雨湖区总工会", level="district", parent=xiangtan)
    yuetang = factories.make_federation(name="岳塘区总工会", level="district", parent=xiangtan)
    return {
        "province": province,
        "xiangtan": xiangtan,
        "zhuzhou": zhuzhou,
        "yuhu": yuhu,
        "yuetang": yuetang,
    }


def test_children_paths_extend_the_parent_path(tree):
    assert tree["yuhu"].path.startswith(tree["xiangtan"].path)
    assert tree["yuhu"].depth == 2
    assert tree["yuhu"].path != tree["yuetang"].path


def test_subtree_of_a_city_is_one_query_and_excludes_siblings(tree):
    admin = factories.federation_admin(tree["xiangtan"])
    with CaptureQueriesContext(connection) as queries:
        names = set(selectors.federations_visible_to(admin).values_list("name", flat=True))
    # the user's role grants, then the whole subtree in one prefix query
    assert len(queries) == 2
    assert names == {"湘潭市总工会", "雨湖区总工会", "岳塘区总工会"}


def test_province_admin_sees_every_city_and_district(tree):
    admin = factories.federation_admin(tree["province"])
    assert selectors.federations_visible_to(admin).count() == 5


def test_next_sibling_path_follows_the_highest_even_after_a_deletion(tree):
    tree["yuetang"].delete()
    again = factories.make_federation(
        name="湘潭县总工会", level="district", parent=tree["xiangtan"]
    )
    assert again.path != tree["yuhu"].path
    assert Federation.objects.filter(path=again.path).count() == 1


def test_moving_a_city_moves_its_districts(tree):
    services.update_federation(
        federation=tree["xiangtan"], parent=tree["zhuzhou"], level="district"
    )
    tree["yuhu"].refresh_from_db()
    tree["xiangtan"].refresh_from_db()
    assert tree["xiangtan"].path.startswith(tree["zhuzhou"].path)
    assert tree["yuhu"].path.startswith(tree["xiangtan"].path)
    assert tree["yuhu"].depth == tree["xiangtan"].depth + 1


def test_district_cannot_be_placed_above_its_level(tree):
    with pytest.raises(ValidationError) as error:
        factories.make_federation(name="错误层级", level="city", parent=tree["yuhu"])
    assert "level" in error.value.message_dict
