from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache

from zhidao.appeals.public_services import current_poster_token

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _frozen_and_clean_cache():
    """Today is 2026-11-25; rate-limit counters start empty."""
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield
    cache.clear()


@pytest.fixture
def poster(world):
    return current_poster_token(organization=world["mine"]["organization"])
