"""The event and case lists filter alike on the page and in the API, and only ever inside the
user's own scope."""

from datetime import date

import pytest
import time_machine

from tests.list_filters import (
    api_client,
    assert_invalid_value_is_ignored_by_the_page_and_refused_by_the_api,
    assert_same_rows,
)

from .conftest import make_case, make_event


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        yield


def on_both_sides(world, make) -> dict:
    make(world["other"])
    return make(world["mine"])


@pytest.fixture
def events(world):
    return on_both_sides(
        world,
        lambda side: {
            "past lecture": make_event(side, held_on=date(2026, 10, 20)),
            "visit": make_event(
                side,
                kind="site_visit",
                title="模范职工之家实地观摩",
                speaker="",
                host_union=side["union"],
                held_on=date(2026, 12, 3),
            ),
            "next lecture": make_event(
                side, title="集体协商实务", speaker="法律部部长", held_on=date(2026, 11, 26)
            ),
        },
    )


EVENT_CASES = {
    "kind": ({"kind": "site_visit"}, ["visit"]),
    "upcoming": ({"upcoming": "on"}, ["next lecture", "visit"]),
    "not only upcoming": ({"upcoming": "false"}, ["past lecture", "visit", "next lecture"]),
    "search by title": ({"q": "集体协商"}, ["next lecture"]),
    "search by speaker": ({"q": "经费审查"}, ["past lecture"]),
}


@pytest.mark.parametrize("case", list(EVENT_CASES))
def test_page_and_api_list_the_same_events(world, events, case):
    params, names = EVENT_CASES[case]
    assert_same_rows(
        world["mine"]["admin"],
        page="exchange:event_list",
        api="exchange-events",
        params=params,
        expected=[events[name] for name in names],
    )


def test_upcoming_events_come_soonest_first_on_both(world, events, client):
    client.force_login(world["mine"]["admin"])
    page = client.get("/exchange/events/", {"upcoming": "on"}).context["page_obj"]
    api = api_client(world["mine"]["admin"]).get("/api/exchange-events/", {"upcoming": "true"})
    soonest_first = [events["next lecture"].pk, events["visit"].pk]
    assert [event.pk for event in page] == soonest_first
    assert [row["id"] for row in api.json()["results"]] == soonest_first


@pytest.fixture
def cases(world):
    return on_both_sides(
        world,
        lambda side: {
            "canteen": make_case(side, title="职工食堂改造升级", text="食堂从外包改为工会自办。"),
            "gym": make_case(side, title="建起职工健身房", text="改造闲置仓库为健身房。"),
            "draft": make_case(side, title="驿站建设", text="户外劳动者驿站。", publish=False),
        },
    )


CASE_CASES = {
    "status": ({"status": "draft"}, ["draft"]),
    "published": ({"status": "published"}, ["canteen", "gym"]),
    "search by words": ({"q": "食堂"}, ["canteen"]),
}


@pytest.mark.parametrize("case", list(CASE_CASES))
def test_page_and_api_list_the_same_cases(world, cases, case):
    # The author sees its draft too.
    params, names = CASE_CASES[case]
    assert_same_rows(
        world["mine"]["instructor_user"],
        page="exchange:case_list",
        api="cases",
        params=params,
        expected=[cases[name] for name in names],
    )


def test_a_case_status_that_does_not_exist_is_ignored_by_the_page(world, cases):
    assert_invalid_value_is_ignored_by_the_page_and_refused_by_the_api(
        world["mine"]["instructor_user"],
        page="exchange:case_list",
        api="cases",
        name="status",
        value="archived",
        unfiltered=cases.values(),
    )
