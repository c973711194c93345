"""Filters and search narrow a user's own rows; they never widen the scope or reveal ids."""

import pytest

from tests import factories

from .endpoints import detail_url, list_url, row_ids


def test_organizations_are_found_by_pinyin_initials(world, client_for):
    response = client_for(world["mine"]["admin"]).get(list_url("organizations"), {"search": "xtcs"})
    assert row_ids(response) == {world["mine"]["organization"].pk}


def test_organizations_are_found_by_credit_code_prefix(world, client_for):
    organization = world["mine"]["organization"]
    response = client_for(world["mine"]["admin"]).get(
        list_url("organizations"), {"search": organization.credit_code[:12]}
    )
    assert row_ids(response) == {organization.pk}


def test_search_matching_only_another_scope_finds_nothing(world, client_for):
    response = client_for(world["mine"]["admin"]).get(
        list_url("organizations"), {"search": world["other"]["organization"].credit_code}
    )
    assert row_ids(response) == set()


def test_federation_filter_covers_the_federations_below(world, client_for):
    mine = world["mine"]
    own_city = factories.OrganizationFactory(federation=mine["city"])
    client = client_for(mine["admin"])
    by_city = client.get(list_url("organizations"), {"federation": mine["city"].pk})
    by_district = client.get(list_url("organizations"), {"federation": mine["district"].pk})
    assert row_ids(by_city) == {own_city.pk, mine["organization"].pk}
    assert row_ids(by_district) == {mine["organization"].pk}


@pytest.mark.parametrize(
    ("endpoint", "parameter", "other_key"),
    [
        ("organizations", "federation", "city"),
        ("organizations", "union", "union"),
        ("unions", "federation", "district"),
        ("instructors", "federation", "city"),
        ("batches", "federation", "city"),
        ("assignments", "batch", "batch"),
        ("assignments", "instructor", "instructor"),
        ("assignments", "organization", "organization"),
    ],
)
def test_filtering_by_another_scopes_object_is_refused(
    world, client_for, endpoint, parameter, other_key
):
    response = client_for(world["mine"]["admin"]).get(
        list_url(endpoint), {parameter: world["other"][other_key].pk}
    )
    assert response.status_code == 400
    assert list(response.json()) == [parameter]


def test_organizations_filter_by_kind_and_status(world, client_for):
    mine = world["mine"]
    social = factories.OrganizationFactory(
        federation=mine["district"], kind="new_social", sub_kind="foundation"
    )
    client = client_for(mine["admin"])
    assert row_ids(client.get(list_url("organizations"), {"kind": "new_social"})) == {social.pk}
    assert row_ids(client.get(list_url("organizations"), {"status": "suspended"})) == set()


def test_assignments_filter_by_status_batch_instructor_and_organization(world, client_for):
    mine = world["mine"]
    client = client_for(mine["admin"])
    own = {mine["assignment"].pk}
    assert row_ids(client.get(list_url("assignments"), {"status": "active"})) == own
    assert row_ids(client.get(list_url("assignments"), {"status": "planned"})) == set()
    assert row_ids(client.get(list_url("assignments"), {"batch": mine["batch"].pk})) == own
    assert (
        row_ids(client.get(list_url("assignments"), {"instructor": mine["instructor"].pk})) == own
    )
    assert (
        row_ids(client.get(list_url("assignments"), {"organization": mine["organization"].pk}))
        == own
    )


def test_officer_sees_only_its_own_organizations_of_a_shared_assignment(world, client_for):
    mine = world["mine"]
    elsewhere = factories.OrganizationFactory(
        federation=mine["district"], union=factories.UnionFactory(federation=mine["district"])
    )
    assignment = factories.make_assignment(
        instructor=factories.InstructorFactory(federation=mine["city"]),
        organizations=[mine["organization"], elsewhere],
        batch=mine["batch"],
    )
    officer_view = client_for(mine["officer"]).get(detail_url("assignments", assignment.pk))
    admin_view = client_for(mine["admin"]).get(detail_url("assignments", assignment.pk))
    assert officer_view.json()["organizations"] == [mine["organization"].pk]
    assert sorted(admin_view.json()["organizations"]) == sorted(
        [mine["organization"].pk, elsewhere.pk]
    )


def test_instructor_sees_only_its_own_organizations_of_a_joint_union(world, client_for):
    mine = world["mine"]
    factories.OrganizationFactory(federation=mine["district"], union=mine["union"])
    response = client_for(mine["instructor_user"]).get(detail_url("unions", mine["union"].pk))
    assert response.json()["organizations"] == [mine["organization"].pk]


def test_instructor_phone_is_listed_masked(world, client_for):
    response = client_for(world["mine"]["officer"]).get(list_url("instructors"))
    (row,) = response.json()["results"]
    assert row["masked_phone"] == "138****1234"
    assert "phone" not in row
    assert "13812341234" not in response.content.decode()


def test_unknown_ordering_field_is_ignored_not_an_error(world, client_for):
    response = client_for(world["mine"]["admin"]).get(
        list_url("instructors"), {"ordering": "masked_phone"}
    )
    assert response.status_code == 200


RELATED_FILTERS = [
    ("activities", "union", "union"),
    ("assessments", "union", "union"),
    ("honours", "union", "union"),
    ("leave-requests", "instructor", "instructor"),
    ("on-site-days", "instructor", "instructor"),
    ("on-site-days", "organization", "organization"),
    ("on-site-days", "assignment", "assignment"),
    ("quarterly-reports", "assignment", "assignment"),
]


@pytest.mark.parametrize(("endpoint", "parameter", "key"), RELATED_FILTERS)
def test_a_related_filter_offers_only_the_users_own_rows(
    world, client_for, endpoint, parameter, key
):
    # The choice is looked up in the user's scope: another scope's id is a wrong value (400),
    # never an unscoped query (which the scope guard turns into a server error).
    client = client_for(world["mine"]["admin"])
    refused = client.get(list_url(endpoint), {parameter: world["other"][key].pk})
    assert refused.status_code == 400
    assert list(refused.json()) == [parameter]
    assert client.get(list_url(endpoint), {parameter: world["mine"][key].pk}).status_code == 200
