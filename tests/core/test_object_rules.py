"""Object permissions (django-rules) agree with the scoped selectors."""

import pytest

from tests import factories
from zhidao.accounts.models import Role

MODELS = {
    "organization": "orgs.{}_organization",
    "union": "orgs.{}_union",
    "instructor": "dispatch.{}_instructor",
    "batch": "dispatch.{}_batch",
    "assignment": "dispatch.{}_assignment",
    "district": "orgs.{}_federation",
}


@pytest.mark.parametrize("model", list(MODELS))
def test_admin_may_change_own_scope_objects_only(world, model):
    admin = world["mine"]["admin"]
    perm = MODELS[model].format("change")
    assert admin.has_perm(perm, world["mine"][model])
    assert not admin.has_perm(perm, world["other"][model])


@pytest.mark.parametrize("role", ["leader", "instructor_user", "officer"])
@pytest.mark.parametrize("model", ["organization", "union", "assignment"])
def test_other_roles_may_view_but_not_change(world, role, model):
    user = world["mine"][role]
    assert user.has_perm(MODELS[model].format("view"), world["mine"][model])
    assert not user.has_perm(MODELS[model].format("view"), world["other"][model])
    assert not user.has_perm(MODELS[model].format("change"), world["mine"][model])


def test_district_admin_cannot_change_the_city_above_it(world):
    district_admin = factories.federation_admin(world["mine"]["district"])
    assert district_admin.has_perm("orgs.change_federation", world["mine"]["district"])
    assert not district_admin.has_perm("orgs.change_federation", world["mine"]["city"])


def test_user_with_two_roles_sees_both_scopes(world):
    """A district admin in one city can also be the union officer of a union in another."""
    user = factories.federation_admin(world["mine"]["district"])
    factories.grant(user, Role.UNION_OFFICER, union=world["other"]["union"])
    assert user.has_perm("orgs.view_organization", world["mine"]["organization"])
    assert user.has_perm("orgs.view_organization", world["other"]["organization"])
    assert user.has_perm("orgs.change_organization", world["mine"]["organization"])
    assert not user.has_perm("orgs.change_organization", world["other"]["organization"])
