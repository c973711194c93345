"""Which appeals an instructor sees: those about an organization of any of its assignments and
those assigned to it, each once; nobody else's. One query, whatever the instructor holds."""

import pytest

from tests import factories
from tests.appeals.staff.conftest import make_appeal
from zhidao.appeals import services
from zhidao.appeals.models import Appeal
from zhidao.appeals.selectors import appeals_visible_to

pytestmark = pytest.mark.django_db


def test_the_instructor_sees_its_organizations_and_its_assigned_appeals_once(
    world, django_assert_num_queries
):
    mine = world["mine"]
    instructor = mine["instructor"]
    # An organization of the same district with no assignment of this instructor.
    elsewhere = factories.OrganizationFactory(federation=mine["district"], union=mine["union"])
    about_mine = make_appeal(mine["organization"])
    about_elsewhere = make_appeal(elsewhere)
    # About its organization and assigned to it as well: still one row.
    both = services.accept_appeal(appeal=make_appeal(mine["organization"]), actor=mine["admin"])
    assigned_only = services.accept_appeal(
        appeal=make_appeal(elsewhere), actor=mine["admin"], instructor=instructor
    )
    not_mine = make_appeal(world["other"]["organization"])
    assert both.assigned_instructor_id == instructor.pk

    seen = appeals_visible_to(instructor.user)
    with django_assert_num_queries(1):
        found = sorted(seen.values_list("pk", flat=True))
    assert found == sorted([about_mine.pk, both.pk, assigned_only.pk])
    assert about_elsewhere.pk not in found and not_mine.pk not in found
    with django_assert_num_queries(1):
        assert seen.count() == 3


def test_a_second_assignment_adds_its_organizations_appeals(world):
    """Every assignment of the instructor counts, as through the scope's path before."""
    mine = world["mine"]
    later = factories.OrganizationFactory(federation=mine["district"])
    factories.make_assignment(
        instructor=mine["instructor"], organizations=[later], batch=mine["batch"]
    )
    appeal = make_appeal(later)
    assert appeals_visible_to(mine["instructor"].user).filter(pk=appeal.pk).exists()
    other = world["other"]["instructor"].user
    assert not Appeal.objects.visible_to(other).filter(pk=appeal.pk).exists()
