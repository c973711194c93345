"""The scoped-queryset mechanism: every domain model declares its scope once and gets
visible_to(user, action); in a request an unscoped read raises."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from tests import factories
from tests.reports.conftest import on_site
from zhidao.core.scoping import (
    CHANGE,
    ScopeGuardMiddleware,
    UnscopedQuery,
    guard_is_on,
    guarded,
    use_case,
)
from zhidao.dispatch.models import Assignment
from zhidao.fieldwork.models import OnSiteDay
from zhidao.orgs.models import Federation, Organization

pytestmark = pytest.mark.django_db


def _in_request(function):
    """Run `function` the way a view runs: behind the guard middleware."""
    result = {}

    def view(request):
        result["value"] = function()
        return HttpResponse("ok")

    ScopeGuardMiddleware(view)(RequestFactory().get("/orgs/"))
    return result["value"]


def test_an_unscoped_read_in_a_request_raises(world):
    with pytest.raises(UnscopedQuery):
        _in_request(lambda: list(Organization.objects.all()))
    with pytest.raises(UnscopedQuery):
        _in_request(lambda: Organization.objects.count())
    with pytest.raises(UnscopedQuery):
        _in_request(lambda: Organization.objects.get(pk=world["mine"]["organization"].pk))


def test_the_same_read_outside_a_request_is_allowed(world):
    assert Organization.objects.count() == 2  # a task, a command, a test


def test_scoped_related_unscoped_and_existence_reads_pass_the_guard(world):
    mine = world["mine"]
    admin = mine["admin"]

    def reads():
        scoped = list(Organization.objects.visible_to(admin))
        related = list(mine["assignment"].organizations.all())
        prefetched = list(Assignment.objects.visible_to(admin).prefetch_related("organizations"))[
            0
        ].organizations.all()
        on_purpose = Organization.objects.unscoped().count()
        exists = Organization.objects.filter(pk=mine["organization"].pk).exists()
        nothing = list(Organization.objects.none())
        return scoped, related, list(prefetched), on_purpose, exists, nothing

    scoped, related, prefetched, on_purpose, exists, nothing = _in_request(reads)
    assert scoped == [mine["organization"]] == related == prefetched
    assert (on_purpose, exists, nothing) == (2, True, [])


def test_a_use_case_reads_what_it_needs_itself(world):
    @use_case
    def service():
        return Organization.objects.count()

    assert _in_request(service) == 2


def test_roles_see_their_scope_and_only_admins_change(world):
    mine, other = world["mine"], world["other"]
    organization = mine["organization"]
    for who in ("admin", "leader", "instructor_user", "officer"):
        assert list(Organization.objects.visible_to(mine[who])) == [organization], who
        assert not Organization.objects.visible_to(other[who]).filter(pk=organization.pk).exists()
    assert list(Organization.objects.visible_to(mine["admin"], CHANGE)) == [organization]
    for who in ("leader", "instructor_user", "officer"):
        assert not Organization.objects.visible_to(mine[who], CHANGE).exists(), who
    assert Federation.objects.visible_to(mine["instructor_user"]).count() == 0
    assert Organization.objects.visible_to(None).count() == 0


def test_a_row_reached_through_several_links_is_listed_once(world):
    mine = world["mine"]
    factories.make_assignment(
        instructor=mine["instructor"],
        organizations=[mine["organization"]],
        batch=mine["batch"],
        starts_on=mine["assignment"].ends_on.replace(year=mine["assignment"].ends_on.year + 1),
    )
    rows = list(Organization.objects.visible_to(mine["instructor_user"]))
    assert rows == [mine["organization"]]


def test_field_work_actions_follow_the_declared_roles(world):
    mine = world["mine"]

    on_site(mine["assignment"], mine["assignment"].starts_on)
    assert OnSiteDay.objects.visible_to(mine["officer"], "confirm").count() == 1
    assert OnSiteDay.objects.visible_to(mine["instructor_user"], "confirm").count() == 0
    assert OnSiteDay.objects.visible_to(mine["instructor_user"], CHANGE).count() == 1
    assert OnSiteDay.objects.visible_to(mine["admin"], CHANGE).count() == 0
    assert OnSiteDay.objects.visible_to(world["other"]["officer"], "confirm").count() == 0


def test_a_superuser_is_every_federations_admin_and_nobodys_instructor_or_officer(world):
    mine, superuser = world["mine"], factories.UserFactory(is_superuser=True)
    on_site(mine["assignment"], mine["assignment"].starts_on)
    assert OnSiteDay.objects.visible_to(superuser).count() == 1
    assert Organization.objects.visible_to(superuser, CHANGE).count() == 2
    # Checking out, confirming, recording: the instructor's and the union officer's own acts.
    assert OnSiteDay.objects.visible_to(superuser, CHANGE).count() == 0
    assert OnSiteDay.objects.visible_to(superuser, "confirm").count() == 0
    assert Assignment.objects.visible_to(superuser, "record").count() == 0


def test_the_guard_is_off_outside_a_request_and_on_inside():

    assert not guard_is_on()
    with guarded():
        assert guard_is_on()
    assert not guard_is_on()
