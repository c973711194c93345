"""The staff's appeal list filters alike on the page and in the API, and only ever inside the
user's own scope."""

from datetime import date

import pytest

from tests import factories
from tests.list_filters import (
    assert_invalid_value_is_ignored_by_the_page_and_refused_by_the_api,
    assert_same_rows,
)
from zhidao.appeals.models import Appeal

from .conftest import make_appeal


@pytest.fixture
def appeals(world):
    def make(side):
        textile = factories.OrganizationFactory(
            name=f"{side['city'].name[:2]}纺织有限公司", federation=side["district"]
        )
        late = make_appeal(side["organization"], category="working_hours")
        Appeal.objects.filter(pk=late.pk).update(accept_due=date(2026, 11, 20))
        assigned = make_appeal(side["organization"], category="welfare")
        Appeal.objects.filter(pk=assigned.pk).update(
            state="accepted", assigned_instructor=side["instructor"]
        )
        return {
            "wages": make_appeal(side["organization"]),
            "late": late,
            "assigned": assigned,
            "hotline": make_appeal(textile, anonymous=True, channel="hotline_12351"),
        }

    make(world["other"])
    return make(world["mine"])


CASES = {
    "category": ({"category": "working_hours"}, ["late"]),
    "state": ({"state": "accepted"}, ["assigned"]),
    "channel": ({"channel": "hotline_12351"}, ["hotline"]),
    "overdue, ticked": ({"overdue": "on"}, ["late"]),
    # The API has always read false as "every appeal", not "the ones on time".
    "overdue false": ({"overdue": "false"}, ["wages", "late", "assigned", "hotline"]),
    "search by organization": ({"q": "湘潭纺织"}, ["hotline"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_page_and_api_list_the_same_appeals(world, appeals, case):
    params, names = CASES[case]
    assert_same_rows(
        world["mine"]["admin"],
        page="appeals:appeal_list",
        api="appeals",
        params=params,
        expected=[appeals[name] for name in names],
    )


def test_appeals_by_ticket_code_and_by_organization_on_both(world, appeals):
    hotline = appeals["hotline"]
    for params in ({"q": hotline.code.lower()}, {"organization": hotline.organization_id}):
        assert_same_rows(
            world["mine"]["admin"],
            page="appeals:appeal_list",
            api="appeals",
            params=params,
            expected=[hotline],
        )


def test_another_scopes_organization_lists_no_appeal_on_either(world, appeals):
    assert_same_rows(
        world["mine"]["admin"],
        page="appeals:appeal_list",
        api="appeals",
        params={"organization": world["other"]["organization"].pk},
        expected=[],
    )


def test_assigned_to_me_is_the_same_on_both(world, appeals):
    assert_same_rows(
        world["mine"]["instructor_user"],
        page="appeals:appeal_list",
        api="appeals",
        params={"mine": "on"},
        expected=[appeals["assigned"]],
    )


def test_assigned_to_me_lists_nothing_for_who_is_no_instructor(world, appeals):
    assert_same_rows(
        world["mine"]["admin"],
        page="appeals:appeal_list",
        api="appeals",
        params={"mine": "true"},
        expected=[],
    )


def test_the_statistics_count_the_filtered_appeals(world, appeals, client):
    client.force_login(world["mine"]["admin"])
    response = client.get("/appeals/stats/", {"category": "welfare"})
    assert response.context["stats"].total == 1


def test_an_appeal_state_that_does_not_exist_is_ignored_by_the_page(world, appeals):
    assert_invalid_value_is_ignored_by_the_page_and_refused_by_the_api(
        world["mine"]["admin"],
        page="appeals:appeal_list",
        api="appeals",
        name="state",
        value="lost",
        unfiltered=appeals.values(),
    )


def test_the_organization_filter_holds_the_chosen_organization_only(client, world, appeals):
    """A province's appeals name tens of thousands of organizations: the page lists none of
    them, only the chosen one; the box asks the organization endpoint for the others."""
    hotline = appeals["hotline"]
    client.force_login(world["mine"]["admin"])
    body = client.get("/appeals/", {"organization": hotline.organization_id}).content.decode()
    select = body[body.index('<select name="organization"') :]
    select = select[: select.index("</select>")]
    assert 'data-autocomplete-url="/orgs/organizations/autocomplete/"' in select
    assert select.count("<option") == 2
    assert f'value="{hotline.organization_id}" selected' in select
    assert hotline.organization.name in select
    # Another scope's organization is not named, though the filter takes its id.
    other = world["other"]["organization"]
    body = client.get("/appeals/stats/", {"organization": other.pk}).content.decode()
    select = body[body.index('<select name="organization"') :]
    select = select[: select.index("</select>")]
    assert select.count("<option") == 1
    assert other.name not in select
