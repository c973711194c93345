"""Every scoped selector returns own-scope rows and never another scope's."""

import pytest

from zhidao.dispatch import selectors as dispatch_selectors
from zhidao.orgs import selectors as org_selectors

SELECTORS = {
    "organization": org_selectors.organizations_visible_to,
    "union": org_selectors.unions_visible_to,
    "instructor": dispatch_selectors.instructors_visible_to,
    "batch": dispatch_selectors.batches_visible_to,
    "assignment": dispatch_selectors.assignments_visible_to,
}
ROLES = ["admin", "leader", "instructor_user", "officer"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", list(SELECTORS))
def test_each_role_sees_its_own_rows_and_never_the_other_scope(world, role, model):
    user = world["mine"][role]
    visible = set(SELECTORS[model](user).values_list("pk", flat=True))
    assert world["mine"][model].pk in visible
    assert world["other"][model].pk not in visible


@pytest.mark.parametrize("role", ["instructor_user", "officer"])
def test_field_roles_see_no_federations(world, role):
    assert not org_selectors.federations_visible_to(world["mine"][role]).exists()


def test_admin_sees_whole_subtree_of_federations(world):
    visible = set(org_selectors.federations_visible_to(world["mine"]["admin"]))
    assert visible == {world["mine"]["city"], world["mine"]["district"]}


def test_user_without_roles_sees_nothing(db, world):
    from tests.factories import UserFactory

    stranger = UserFactory()
    for selector in SELECTORS.values():
        assert not selector(stranger).exists()
