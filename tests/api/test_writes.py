"""Writes: federation admins only, inside their subtree, through the services."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from rest_framework.relations import PrimaryKeyRelatedField

from tests import factories
from zhidao.dispatch.models import Assignment, AssignmentStatus, one_year_after
from zhidao.orgs.models import Organization
from zhidao.orgs.validators import validate_credit_code

from .endpoints import ENDPOINTS, ROLES, detail_url, list_url, sees_own


def _organization_payload(world, **overrides) -> dict:
    payload = {
        "name": "湘潭新建材料有限公司",
        "credit_code": factories.credit_code(),
        "kind": "new_economic",
        "sub_kind": "private_enterprise",
        "industry": "C",
        "federation": world["mine"]["district"].pk,
        "district": "岳塘区",
        "employee_count": 35,
    }
    payload.update(overrides)
    return payload


def _message_of(validator, value) -> list[str]:
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as caught:
            validator(value)
        return [str(message) for message in caught.value.messages]


def _does_not_exist(pk) -> str:
    with translation.override("zh-hans"):
        return str(PrimaryKeyRelatedField.default_error_messages["does_not_exist"]).format(
            pk_value=pk
        )


def test_admin_creates_an_organization(world, client_for):
    payload = _organization_payload(world)
    response = client_for(world["mine"]["admin"]).post(
        list_url("organizations"), payload, format="json"
    )
    assert response.status_code == 201, response.json()
    created = Organization.objects.get(pk=response.json()["id"])
    assert created.credit_code == payload["credit_code"]
    assert created.name_initials == "xtxjclyxgs"  # set by the model: the service saved it
    assert response.json()["federation_name"] == world["mine"]["district"].name


def test_credit_code_typed_with_spaces_and_lower_case_is_stored_compact(world, client_for):
    code = factories.credit_code()
    typed = f"{code[:6].lower()} {code[6:12]}-{code[12:]}"
    response = client_for(world["mine"]["admin"]).post(
        list_url("organizations"), _organization_payload(world, credit_code=typed), format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["credit_code"] == code


def test_bad_credit_code_is_a_400_with_the_message_at_credit_code(world, client_for):
    valid = factories.credit_code()
    wrong_check = valid[:-1] + ("0" if valid[-1] != "0" else "1")
    response = client_for(world["mine"]["admin"]).post(
        list_url("organizations"),
        _organization_payload(world, credit_code=wrong_check),
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert response.json()["credit_code"] == _message_of(validate_credit_code, wrong_check)
    assert not Organization.objects.filter(name="湘潭新建材料有限公司").exists()


def test_short_credit_code_says_how_many_characters_were_entered(world, client_for):
    response = client_for(world["mine"]["admin"]).post(
        list_url("organizations"),
        _organization_payload(world, credit_code="91430300ABC"),
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["credit_code"] == _message_of(validate_credit_code, "91430300ABC")


def test_duplicate_credit_code_is_reported_at_credit_code(world, client_for):
    existing = world["mine"]["organization"].credit_code
    response = client_for(world["mine"]["admin"]).post(
        list_url("organizations"), _organization_payload(world, credit_code=existing), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["credit_code"]


def test_model_rule_from_the_service_comes_back_at_its_field(world, client_for):
    response = client_for(world["mine"]["admin"]).post(
        list_url("organizations"),
        _organization_payload(world, kind="new_social", sub_kind="private_enterprise"),
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["sub_kind"]


def test_admin_cannot_create_in_another_federation_tree(world, client_for):
    response = client_for(world["mine"]["admin"]).post(
        list_url("organizations"),
        _organization_payload(world, federation=world["other"]["district"].pk),
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["federation"] == [_does_not_exist(world["other"]["district"].pk)]


@pytest.mark.parametrize("role", ["leader", "instructor_user", "officer"])
def test_only_admins_may_create(world, client_for, role):
    response = client_for(world["mine"][role]).post(
        list_url("organizations"), _organization_payload(world), format="json"
    )
    assert response.status_code == 403
    assert not Organization.objects.filter(name="湘潭新建材料有限公司").exists()


@pytest.mark.parametrize(
    ("endpoint", "role"),
    [
        (endpoint, role)
        for endpoint in ENDPOINTS
        for role in ["leader", "instructor_user", "officer"]
        if sees_own(endpoint, role)
    ],
)
def test_non_admins_cannot_change_what_they_see(world, client_for, endpoint, role):
    own = world["mine"][ENDPOINTS[endpoint]]
    response = client_for(world["mine"][role]).patch(
        detail_url(endpoint, own.pk), {"name": "改名"}, format="json"
    )
    assert response.status_code == 403
    own.refresh_from_db()
    assert str(own) != "改名"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_there_is_no_delete(world, client_for, endpoint, role):
    own = world["mine"][ENDPOINTS[endpoint]]
    response = client_for(world["mine"][role]).delete(detail_url(endpoint, own.pk))
    assert response.status_code in (403, 404, 405)
    assert type(own).objects.filter(pk=own.pk).exists()


def test_admin_deletes_nothing_either(world, client_for):
    organization = world["mine"]["organization"]
    response = client_for(world["mine"]["admin"]).delete(
        detail_url("organizations", organization.pk)
    )
    assert response.status_code == 405


def test_admin_deactivates_an_organization_through_its_status(world, client_for):
    organization = world["mine"]["organization"]
    response = client_for(world["mine"]["admin"]).patch(
        detail_url("organizations", organization.pk), {"status": "deregistered"}, format="json"
    )
    assert response.status_code == 200, response.json()
    organization.refresh_from_db()
    assert organization.status == "deregistered"


def test_admin_updates_a_union_and_its_organizations(world, client_for):
    union = world["mine"]["union"]
    newcomer = factories.OrganizationFactory(federation=world["mine"]["district"])
    response = client_for(world["mine"]["admin"]).patch(
        detail_url("unions", union.pk),
        {"is_joint": True, "organizations": [world["mine"]["organization"].pk, newcomer.pk]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert sorted(response.json()["organizations"]) == sorted(
        [world["mine"]["organization"].pk, newcomer.pk]
    )
    newcomer.refresh_from_db()
    assert newcomer.union == union


def test_admin_adds_a_federation_under_its_own(world, client_for):
    city = world["mine"]["city"]
    response = client_for(world["mine"]["admin"]).post(
        list_url("federations"),
        {"name": "湘潭高新区总工会", "level": "district", "parent": city.pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["path"].startswith(city.path)
    assert response.json()["depth"] == city.depth + 1


def test_admin_cannot_start_a_new_federation_tree(world, client_for):
    response = client_for(world["mine"]["admin"]).post(
        list_url("federations"),
        {"name": "某省总工会", "level": "province", "parent": None},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["parent"]


def test_federation_parent_cannot_be_changed_through_the_api(world, client_for):
    district = world["mine"]["district"]
    response = client_for(world["mine"]["admin"]).patch(
        detail_url("federations", district.pk),
        {"parent": world["other"]["city"].pk, "short_name": "区总"},
        format="json",
    )
    assert response.status_code == 200
    district.refresh_from_db()
    assert district.parent == world["mine"]["city"]
    assert district.short_name == "区总"


def test_batch_end_date_defaults_to_one_year(world, client_for):
    response = client_for(world["mine"]["admin"]).post(
        list_url("batches"),
        {
            "federation": world["mine"]["city"].pk,
            "name": "第二期",
            "year": 2027,
            "starts_on": "2027-03-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["ends_on"] == "2028-02-29"


def test_duplicate_batch_name_is_a_400_not_a_500(world, client_for):
    response = client_for(world["mine"]["admin"]).post(
        list_url("batches"),
        {
            "federation": world["mine"]["city"].pk,
            "name": world["mine"]["batch"].name,
            "year": 2026,
            "starts_on": "2026-03-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def _assignment_payload(world, organizations, **overrides) -> dict:
    payload = {
        "batch": world["mine"]["batch"].pk,
        "instructor": factories.InstructorFactory(federation=world["mine"]["city"]).pk,
        "organizations": [o.pk for o in organizations],
        "starts_on": "2026-03-01",
    }
    payload.update(overrides)
    return payload


def test_admin_creates_an_assignment_ending_one_year_later_by_default(world, client_for):
    payload = _assignment_payload(world, [world["mine"]["organization"]])
    response = client_for(world["mine"]["admin"]).post(
        list_url("assignments"), payload, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["ends_on"] == one_year_after(date(2026, 3, 1)).isoformat()
    assert body["organizations"] == [world["mine"]["organization"].pk]
    assert body["min_days_per_week"] == 1


def test_assignment_to_another_scopes_organization_is_a_400(world, client_for):
    other = world["other"]["organization"]
    response = client_for(world["mine"]["admin"]).post(
        list_url("assignments"), _assignment_payload(world, [other]), format="json"
    )
    assert response.status_code == 400
    assert response.json()["organizations"] == [_does_not_exist(other.pk)]
    assert (
        not Assignment.objects.filter(organizations=other)
        .exclude(pk=world["other"]["assignment"].pk)
        .exists()
    )


def test_assignment_overlap_from_the_service_is_a_400_at_organizations(world, client_for):
    mine = world["mine"]
    payload = _assignment_payload(
        world, [mine["organization"]], instructor=mine["instructor"].pk, starts_on="2026-06-01"
    )
    response = client_for(mine["admin"]).post(list_url("assignments"), payload, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["organizations"]


def _end_early(client, assignment, *, reason: str = "调回机关"):
    return client.post(
        f"{detail_url('assignments', assignment.pk)}end-early/",
        {"ended_on": "2026-09-30", "end_reason": reason},
        format="json",
    )


def test_admin_ends_an_assignment_early(world, client_for):
    response = _end_early(client_for(world["mine"]["admin"]), world["mine"]["assignment"])
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == AssignmentStatus.ENDED_EARLY
    assert response.json()["ended_on"] == "2026-09-30"


def test_ending_early_needs_a_reason(world, client_for):
    response = _end_early(
        client_for(world["mine"]["admin"]), world["mine"]["assignment"], reason=""
    )
    assert response.status_code == 400
    assert list(response.json()) == ["end_reason"]


@pytest.mark.parametrize("role", ["leader", "instructor_user", "officer"])
def test_only_admins_end_assignments(world, client_for, role):
    assignment = world["mine"]["assignment"]
    response = _end_early(client_for(world["mine"][role]), assignment)
    assert response.status_code == 403
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACTIVE


def test_admin_updates_an_instructor_and_reads_the_phone_back_masked(world, client_for):
    instructor = world["mine"]["instructor"]
    response = client_for(world["mine"]["admin"]).patch(
        detail_url("instructors", instructor.pk),
        {"phone": "13900001111", "title": "副部长"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert "phone" not in response.json()
    assert response.json()["masked_phone"] == "139****1111"
    assert "13900001111" not in response.content.decode()
    instructor.refresh_from_db()
    assert instructor.phone == "13900001111"


def test_instructors_cannot_be_created_through_the_api(world, client_for):
    response = client_for(world["mine"]["admin"]).post(
        list_url("instructors"), {"name": "新指导员"}, format="json"
    )
    assert response.status_code == 405


def test_replacing_a_unions_organizations_keeps_the_ones_out_of_reach(world, client_for):
    mine = world["mine"]
    across = factories.OrganizationFactory(
        federation=world["other"]["district"], union=mine["union"]
    )
    newcomer = factories.OrganizationFactory(federation=mine["district"])
    response = client_for(mine["admin"]).patch(
        detail_url("unions", mine["union"].pk),
        {"organizations": [newcomer.pk]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["organizations"] == [newcomer.pk]
    assert set(mine["union"].organizations.all()) == {across, newcomer}
