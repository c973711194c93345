"""Search finds what people type (issue 12): the name itself first (exact, then its start, then
anywhere), then its full pinyin, its initials and its homophones; the same order on the page and
in the API, with the matched part marked."""

from importlib import import_module

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.list_filters import api_client

# name -> why it is there. Before issue 12, 吉利 matched by its initials (jl) and listed the law
# firm (湖南佳联…, hnjl…) above 湖南吉利汽车部件有限公司, and `jili` found nothing.
NAMES = {
    "geely": "湖南吉利汽车部件有限公司",
    "geely_branch": "湖南吉利汽车部件有限公司湘潭分公司",
    "law_firm": "湖南佳联律师事务所",  # initials hnjl…, like 湖南吉利's: not a match for 吉利
    "road_shop": "吉利路便民超市",  # starts with 吉利
    "logistics": "集利物流有限公司",  # a homophone, jili… from its start
    "machinery": "湖南吉力机械有限公司",  # a homophone inside the name
}

# Written by hand from the ranks (0 exact, 1 name prefix, 2 name contains, 3 pinyin prefix,
# 4 initials prefix, 5 pinyin or initials contain), ties in name order (by code point).
EXPECTED = {
    "湖南吉利汽车部件有限公司": ["geely", "geely_branch"],  # exact, then prefix
    "吉利": ["road_shop", "geely", "geely_branch", "logistics", "machinery"],
    "湖南吉利汽车": ["geely", "geely_branch"],
    "jili": ["road_shop", "logistics", "geely", "geely_branch", "machinery"],
    "jl": ["road_shop", "logistics", "law_firm", "geely", "geely_branch", "machinery"],
    "吉力": ["machinery", "road_shop", "logistics", "geely", "geely_branch"],
    "hnjl": ["law_firm", "geely", "geely_branch", "machinery"],
}


@pytest.fixture
def organizations(world):
    district = world["mine"]["district"]
    made = {
        key: factories.OrganizationFactory(name=name, federation=district)
        for key, name in NAMES.items()
    }
    # The other city's look-alike never comes back.
    factories.OrganizationFactory(
        name="株洲吉利汽车销售有限公司", federation=world["other"]["district"]
    )
    return made


def page_order(client, url_name: str, text: str) -> list[int]:
    response = client.get(reverse(url_name), {"q": text})
    assert response.status_code == 200
    return [row.pk for row in response.context["page_obj"]]


def api_order(user, endpoint: str, params: dict) -> list[int]:
    response = api_client(user).get(f"/api/{endpoint}/", params)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.mark.parametrize("text", list(EXPECTED))
def test_organization_search_ranks_the_same_on_the_page_and_in_the_api(
    world, login, organizations, text
):
    admin = world["mine"]["admin"]
    expected = [organizations[key].pk for key in EXPECTED[text]]
    assert page_order(login(admin), "orgs:organization_list", text) == expected
    assert api_order(admin, "organizations", {"q": text}) == expected
    assert api_order(admin, "organizations", {"search": text}) == expected


def test_searching_geely_no_longer_lists_the_law_firm_first(world, login, organizations):
    listed = page_order(login(world["mine"]["admin"]), "orgs:organization_list", "吉利")
    assert organizations["law_firm"].pk not in listed
    assert listed.index(organizations["geely"].pk) < listed.index(organizations["logistics"].pk)


def test_union_search_ranks_the_same_on_the_page_and_in_the_api(world, login):
    district = world["mine"]["district"]
    unions = {
        key: factories.UnionFactory(name=f"{name}工会", federation=district)
        for key, name in NAMES.items()
    }
    admin = world["mine"]["admin"]
    expected = [unions[key].pk for key in EXPECTED["jili"]]
    assert page_order(login(admin), "orgs:union_list", "jili") == expected
    assert api_order(admin, "unions", {"q": "jili"}) == expected


def test_instructor_search_finds_full_pinyin_and_ranks_it_alike(world, login):
    city = world["mine"]["city"]
    ouyang = factories.InstructorFactory(name="欧阳新建", federation=city)
    wang_ouyang = factories.InstructorFactory(name="王欧阳", federation=city)  # pinyin inside
    admin = world["mine"]["admin"]
    expected = [ouyang.pk, wang_ouyang.pk]
    assert page_order(login(admin), "dispatch:instructor_list", "ouyang") == expected
    assert api_order(admin, "instructors", {"q": "ouyang"}) == expected


def test_assignment_search_ranks_by_its_best_match(world, login, organizations):
    mine = world["mine"]
    by_homophone = factories.make_assignment(
        instructor=mine["instructor"],
        organizations=[organizations["machinery"]],
        batch=mine["batch"],
    )
    by_name = factories.make_assignment(
        instructor=mine["instructor"], organizations=[organizations["geely"]], batch=mine["batch"]
    )
    expected = [by_name.pk, by_homophone.pk]
    assert page_order(login(mine["admin"]), "dispatch:assignment_list", "吉利") == expected
    assert api_order(mine["admin"], "assignments", {"q": "吉利"}) == expected


def test_the_searched_list_marks_the_matched_part_of_each_name(world, login, organizations):
    response = login(world["mine"]["admin"]).get(reverse("orgs:organization_list"), {"q": "jili"})
    content = response.content.decode()
    assert "湖南<mark>吉利</mark>汽车部件有限公司" in content
    assert "<mark>集利</mark>物流有限公司" in content
    assert "湖南<mark>吉力</mark>机械有限公司" in content


def test_the_searched_organization_list_keeps_its_query_count(world, login):
    client = login(world["mine"]["admin"])
    district = world["mine"]["district"]
    factories.OrganizationFactory(name="湖南吉利汽车部件有限公司", federation=district)

    def queries() -> tuple[int, int]:
        cache.clear()  # the districts of the filter are kept between pages
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("orgs:organization_list"), {"q": "jili"})
        return len(response.context["page_obj"]), len(captured)

    rows_one, queries_one = queries()
    for number in range(20):
        factories.OrganizationFactory(name=f"湖南吉利第{number}分公司", federation=district)
    rows_many, queries_many = queries()
    assert (rows_one, rows_many) == (1, 21)
    assert queries_many == queries_one


def test_the_data_migrations_fill_the_pinyin_of_rows_saved_before_it(world):
    from django.apps import apps

    from zhidao.dispatch.models import Instructor
    from zhidao.orgs.models import Organization, Union

    organization = factories.OrganizationFactory(name="湖南吉利汽车部件有限公司")
    union = factories.UnionFactory(name="吉利工会")
    instructor = factories.InstructorFactory(name="欧阳新建")
    for model, row in ((Organization, organization), (Union, union), (Instructor, instructor)):
        model._base_manager.filter(pk=row.pk).update(name_pinyin="")

    import_module("zhidao.orgs.migrations.0005_fill_name_pinyin").fill(apps, None)
    import_module("zhidao.dispatch.migrations.0005_fill_name_pinyin").fill(apps, None)

    assert Organization._base_manager.get(pk=organization.pk).name_pinyin == (
        "hunanjiliqichebujianyouxiangongsi"
    )
    assert Union._base_manager.get(pk=union.pk).name_pinyin == "jiligonghui"
    assert Instructor._base_manager.get(pk=instructor.pk).name_pinyin == "ouyangxinjian"
