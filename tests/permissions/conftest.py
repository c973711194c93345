import pytest
import time_machine
from django.db import transaction
from django.test import override_settings

from .world import NOW, build_world


@pytest.fixture
def _media_in_tmp():
    """The matrix's files live in the module's media folder (matrix_world), not a test's."""


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One world for the whole module, built once inside a transaction rolled back at its end;
    each test runs inside its own savepoint (pytest-django's `db`), so nothing a test writes
    is seen by the next."""
    media = tmp_path_factory.mktemp("matrix-media")
    with (
        time_machine.travel(NOW, tick=False),
        override_settings(MEDIA_ROOT=str(media)),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield build_world()
        transaction.set_rollback(True)
