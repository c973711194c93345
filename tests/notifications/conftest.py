import pytest
import time_machine


@pytest.fixture(autouse=True)
def _today():
    """Wednesday 2026-11-25, ISO week 2026-W48; reminder tests move to the Thursday."""
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        yield
