"""The assessment, honour and activity lists filter alike on the page and in the API, and only
ever inside the user's own scope."""

from datetime import date

import pytest

from tests import factories
from tests.list_filters import (
    assert_invalid_value_is_ignored_by_the_page_and_refused_by_the_api,
    assert_same_rows,
)
from zhidao.standards.models import Activity, Assessment, Honour, HonourTitle, IndicatorSet


def second_union(side):
    return factories.UnionFactory(
        name=f"{side['city'].name[:2]}纺织厂工会", federation=side["district"]
    )


def on_both_sides(world, make) -> dict:
    make(world["other"])
    return make(world["mine"])


@pytest.fixture
def assessments(world):
    indicator_set = IndicatorSet.objects.create(name="测试指标", federation=None)

    def assessment(side, union, kind):
        return Assessment.objects.create(
            union=union,
            indicator_set=indicator_set,
            assignment=side["assignment"],
            instructor=side["instructor"],
            kind=kind,
            assessed_on=date(2026, 4, 1),
            total_score=60,
        )

    return on_both_sides(
        world,
        lambda side: {
            "baseline": assessment(side, side["union"], "baseline"),
            "term_end": assessment(side, side["union"], "term_end"),
            "textile": assessment(side, second_union(side), "baseline"),
        },
    )


ASSESSMENT_CASES = {
    "kind": ({"kind": "term_end"}, ["term_end"]),
    "search by union": ({"q": "湘潭纺织"}, ["textile"]),
    "search by initials": ({"q": "xtfz"}, ["textile"]),
}


@pytest.mark.parametrize("case", list(ASSESSMENT_CASES))
def test_page_and_api_list_the_same_assessments(world, assessments, case):
    params, names = ASSESSMENT_CASES[case]
    assert_same_rows(
        world["mine"]["admin"],
        page="standards:assessment_list",
        api="assessments",
        params=params,
        expected=[assessments[name] for name in names],
    )


def test_assessments_by_union_on_both(world, assessments):
    assert_same_rows(
        world["mine"]["admin"],
        page="standards:assessment_list",
        api="assessments",
        params={"union": world["mine"]["union"].pk},
        expected=[assessments["baseline"], assessments["term_end"]],
    )


def test_assessments_filtered_by_another_scopes_union_are_ignored_by_the_page(world, assessments):
    assert_invalid_value_is_ignored_by_the_page_and_refused_by_the_api(
        world["mine"]["admin"],
        page="standards:assessment_list",
        api="assessments",
        name="union",
        value=world["other"]["union"].pk,
        unfiltered=assessments.values(),
    )


@pytest.fixture
def honours(world):
    # Seeded by a migration: the titles the federation awards.
    model_home, _ = HonourTitle.objects.get_or_create(
        name="模范职工之家", defaults={"recipient": "union"}
    )
    star, _ = HonourTitle.objects.get_or_create(
        name="芙蓉百岗明星", defaults={"recipient": "worker"}
    )

    def honour(side, union, title, level, year, person_name=""):
        return Honour.objects.create(
            union=union,
            title=title,
            level=level,
            year=year,
            awarded_on=date(year, 5, 1),
            person_name=person_name,
            created_by=side["admin"],
        )

    return on_both_sides(
        world,
        lambda side: {
            "home": honour(side, side["union"], model_home, "city", 2025),
            "star": honour(side, side["union"], star, "provincial", 2026, person_name="周师傅"),
            "textile": honour(side, second_union(side), model_home, "county", 2026),
        },
    )


HONOUR_CASES = {
    "level": ({"level": "provincial"}, ["star"]),
    "year": ({"year": 2025}, ["home"]),
    "search by title": ({"q": "芙蓉"}, ["star"]),
    "search by person": ({"q": "周师傅"}, ["star"]),
    "search by union": ({"q": "湘潭纺织"}, ["textile"]),
}


@pytest.mark.parametrize("case", list(HONOUR_CASES))
def test_page_and_api_list_the_same_honours(world, honours, case):
    params, names = HONOUR_CASES[case]
    assert_same_rows(
        world["mine"]["admin"],
        page="standards:honour_list",
        api="honours",
        params=params,
        expected=[honours[name] for name in names],
    )


def test_an_honour_year_out_of_range_is_ignored_by_the_page(world, honours):
    assert_invalid_value_is_ignored_by_the_page_and_refused_by_the_api(
        world["mine"]["admin"],
        page="standards:honour_list",
        api="honours",
        name="year",
        value=1800,
        unfiltered=honours.values(),
    )


@pytest.fixture
def activities(world):
    def activity(side, union, kind, title):
        return Activity.objects.create(
            union=union,
            kind=kind,
            title=title,
            held_on=date(2026, 9, 1),
            participant_count=30,
            created_by=side["admin"],
        )

    return on_both_sides(
        world,
        lambda side: {
            "contest": activity(side, side["union"], "skills", "焊工技能比武"),
            "speech": activity(side, side["union"], "speech", "劳模精神演讲比赛"),
            "textile": activity(side, second_union(side), "sports", "职工运动会"),
        },
    )


ACTIVITY_CASES = {
    "kind": ({"kind": "speech"}, ["speech"]),
    "search by title": ({"q": "焊工"}, ["contest"]),
    "search by union": ({"q": "湘潭纺织"}, ["textile"]),
}


@pytest.mark.parametrize("case", list(ACTIVITY_CASES))
def test_page_and_api_list_the_same_activities(world, activities, case):
    params, names = ACTIVITY_CASES[case]
    assert_same_rows(
        world["mine"]["admin"],
        page="standards:activity_list",
        api="activities",
        params=params,
        expected=[activities[name] for name in names],
    )


def test_an_officer_gets_its_own_unions_activities_on_both(world, activities):
    assert_same_rows(
        world["mine"]["officer"],
        page="standards:activity_list",
        api="activities",
        params={"union": world["mine"]["union"].pk},
        expected=[activities["contest"], activities["speech"]],
    )
