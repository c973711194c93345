"""'This week: done / not yet' on the instructor's home."""

from datetime import date

import pytest
from django.urls import reverse

from tests.fieldwork.compliance.helpers import leave, on_site_day
from zhidao.fieldwork.models import OnSiteDayStatus

pytestmark = pytest.mark.django_db


def home(client, world):
    client.force_login(world["mine"]["instructor_user"])
    return client.get(reverse("core:home")).content.decode()


def test_week_without_a_day_says_not_on_site_yet_with_a_check_in_link(client, world):
    html = home(client, world)
    assert 'data-week-status="missed"' in html
    assert "尚未驻点" in html
    assert reverse("fieldwork:check_in") in html


def test_week_with_a_confirmed_day_says_done(client, world):
    on_site_day(world["mine"]["assignment"], date(2026, 11, 24))
    html = home(client, world)
    assert 'data-week-status="met"' in html
    assert "已完成" in html


def test_week_with_an_unconfirmed_day_says_awaiting_confirmation(client, world):
    on_site_day(world["mine"]["assignment"], date(2026, 11, 24), OnSiteDayStatus.UNCONFIRMED)
    html = home(client, world)
    assert 'data-week-status="unconfirmed"' in html
    assert "待确认" in html


def test_week_covered_by_approved_leave_says_exempt(client, world):
    leave(world["mine"]["instructor"], date(2026, 11, 23), date(2026, 11, 27))
    html = home(client, world)
    assert 'data-week-status="exempt"' in html
    assert "本周免于驻点" in html


def test_admin_home_has_no_this_week_section(client, world):
    client.force_login(world["mine"]["admin"])
    assert "data-week-status" not in client.get(reverse("core:home")).content.decode()
