import pytest
from django.db import IntegrityError

from tests import factories
from zhidao.accounts.models import Role
from zhidao.accounts.scope import scope_of

pytestmark = pytest.mark.django_db


def test_rights_staff_scope_is_the_federation_subtree(world):
    city = world["mine"]["city"]
    user = factories.UserFactory()
    factories.grant(user, Role.RIGHTS_STAFF, federation=city)

    scope = scope_of(user)

    assert scope.is_rights_staff
    assert scope.rights_paths == (city.path,)
    assert scope.can_handle_rights_path(world["mine"]["district"].path)
    assert not scope.can_handle_rights_path(world["other"]["district"].path)
    assert not scope.is_federation_staff  # the role reads appeals, not the federation's master data


def test_rights_staff_grant_needs_a_federation():
    user = factories.UserFactory()

    with pytest.raises(IntegrityError):
        factories.grant(user, Role.RIGHTS_STAFF)
