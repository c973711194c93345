from datetime import date

import pytest

from zhidao.demo.notifications import load_demo_notifications
from zhidao.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_demo_notifications_load_once(world):
    first = load_demo_notifications(today=date(2026, 11, 25))
    assert first["onsite"] == 2
    assert first["digest"] == 2  # each admin: one missed week last week
    count = Notification.objects.count()
    assert load_demo_notifications(today=date(2026, 11, 25)) == {
        "onsite": 0,
        "reports": 0,
        "digest": 0,
    }
    assert Notification.objects.count() == count
