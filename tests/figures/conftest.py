import pytest
from django.db import connection

from zhidao.figures.signals import _Flush


@pytest.fixture(autouse=True)
def _fixtures_committed(request):
    """The fixtures' writes count as committed before the test: send what they noted, so that
    a test's own writes start a transaction's notes afresh (in a real request, the fixture data
    would have been committed long before)."""
    for name in ("world", "province"):
        if name in request.fixturenames:
            request.getfixturevalue(name)
    for _sids, callback, _robust in list(connection.run_on_commit):
        if isinstance(callback, _Flush):
            callback()
