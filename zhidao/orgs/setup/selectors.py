"""Reads of the first-run setup."""

from ..models import Federation


def setup_is_pending() -> bool:
    """A database without any federation is a new deployment: its superuser sets it up first."""
    return not Federation.objects.exists()
