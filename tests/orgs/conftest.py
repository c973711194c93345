from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

# The `world` assignments run from 2026-03-01 for one year; pages compute "today" themselves.
TODAY = datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


@pytest.fixture
def login(client):
    """A test client logged in as the given user."""

    def log_in(user):
        client.force_login(user)
        return client

    return log_in
