"""The holiday table: seeded from chinese-calendar, working-day arithmetic, manual years."""

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from zhidao.holidays.calendar import (
    add_working_days,
    is_working_day,
    week_exemption,
    working_days_between,
)
from zhidao.holidays.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

GOOD_2027 = {
    "year": "2027",
    "holidays": "2027-02-06 至 2027-02-13 春节\n2027-10-01 至 2027-10-07 国庆节",
    "workdays": "2027-02-14 调休上班",
}


def test_migration_seeded_every_year_the_package_covers():
    years = set(CalendarYear.objects.values_list("year", flat=True))
    assert {2004, 2020, 2026} <= years
    assert CalendarYear.objects.get(year=2026).source == "package"


def test_spring_festival_2026_is_seeded_with_its_adjusted_saturday():
    assert CalendarDay.objects.get(date=date(2026, 2, 17)).kind == "holiday"
    assert CalendarDay.objects.get(date=date(2026, 2, 17)).name == "春节"
    assert CalendarDay.objects.get(date=date(2026, 2, 14)).kind == "workday"


def test_seed_command_is_idempotent():
    before = CalendarDay.objects.count()
    call_command("seed_holidays")
    call_command("seed_holidays")
    assert CalendarDay.objects.count() == before


def test_seed_command_restores_a_deleted_package_day():
    CalendarDay.objects.filter(date=date(2026, 10, 5)).delete()
    call_command("seed_holidays")
    assert CalendarDay.objects.get(date=date(2026, 10, 5)).kind == "holiday"


def test_seed_command_keeps_a_year_entered_by_hand():
    year = CalendarYear.objects.get(year=2026)
    year.source = "manual"
    year.save()
    CalendarDay.objects.filter(date=date(2026, 10, 5)).delete()
    call_command("seed_holidays")
    assert not CalendarDay.objects.filter(date=date(2026, 10, 5)).exists()


def test_adjusted_saturday_is_a_working_day_and_a_holiday_monday_is_not():
    assert is_working_day(date(2026, 10, 10))  # 调休 Saturday after National Day
    assert not is_working_day(date(2026, 10, 5))  # Monday inside National Day
    assert not is_working_day(date(2026, 10, 11))  # ordinary Sunday


def test_working_days_across_the_national_day_week():
    # After Wed 9-30: 10-1..10-7 off, Thu 10-8, Fri 10-9, Sat 10-10 (调休), Mon 10-12.
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 12)) == 4
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert add_working_days(date(2026, 9, 30), 4) == date(2026, 10, 12)


def test_working_days_in_a_year_without_calendar_follow_monday_to_friday():
    assert add_working_days(date(2030, 1, 4), 1) == date(2030, 1, 7)
    assert week_exemption(2030, 6).calendar_missing


def test_spring_festival_week_2026_is_a_whole_week_holiday():
    exemption = week_exemption(2026, 8)
    assert exemption.is_public_holiday
    assert not exemption.calendar_missing


def test_spring_festival_week_2024_with_a_worked_sunday_is_not_exempt():
    # 2024: holidays 2-10..2-17, 调休 Sunday 2-18 falls in the same ISO week.
    assert not week_exemption(2024, 7).is_public_holiday


def test_anyone_signed_in_sees_the_calendar(client, world):
    client.force_login(world["mine"]["officer"])
    response = client.get(reverse("holidays:calendar"))
    assert response.status_code == 200
    assert "2026" in response.content.decode()
    assert client.get(reverse("holidays:year_detail", args=[2026])).status_code == 200


@pytest.mark.parametrize("role", ["leader", "instructor_user", "officer"])
def test_only_federation_admins_may_add_a_year(client, world, role):
    client.force_login(world["mine"][role])
    assert client.get(reverse("holidays:year_create")).status_code == 403


def test_admin_adds_a_year_the_package_does_not_cover(client, world):
    client.force_login(world["mine"]["admin"])
    response = client.post(reverse("holidays:year_create"), GOOD_2027)
    assert response.status_code == 302
    year = CalendarYear.objects.get(year=2027)
    assert year.source == "manual"
    assert year.days.filter(kind="holiday").count() == 15
    assert CalendarDay.objects.get(date=date(2027, 2, 14)).name == "调休上班"
    assert week_exemption(2027, 6).is_public_holiday is False  # 2-8..2-14 has the 调休 Sunday


def test_bad_line_shows_a_chinese_error_at_the_field_and_keeps_the_text(client, world):
    client.force_login(world["mine"]["admin"])
    data = dict(GOOD_2027, holidays="2027-02-06 至 2027-02-13 春节\n2027-02-30 元宵")
    response = client.post(reverse("holidays:year_create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors["holidays"]
    assert "第 2 行" in errors[0] and "不存在的日期" in errors[0]
    assert "2027-02-30 元宵" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_weekday_entered_as_adjusted_working_day_is_refused(client, world):
    client.force_login(world["mine"]["admin"])
    data = dict(GOOD_2027, workdays="2027-02-15 调休上班")  # a Monday
    response = client.post(reverse("holidays:year_create"), data)
    assert "调休上班日是需要上班的周六或周日" in str(response.context["form"].errors["workdays"])
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_a_year_already_recorded_cannot_be_added_again(client, world):
    client.force_login(world["mine"]["admin"])
    data = dict(GOOD_2027, year="2026", holidays="2026-02-16 春节", workdays="")
    response = client.post(reverse("holidays:year_create"), data)
    assert "2026 年的日历已经录入" in str(response.context["form"].errors["year"])


def test_dates_outside_the_year_are_refused(client, world):
    client.force_login(world["mine"]["admin"])
    data = dict(GOOD_2027, holidays="2026-12-31 元旦")
    response = client.post(reverse("holidays:year_create"), data)
    assert "都必须在 2027 年内" in str(response.context["form"].errors["holidays"])
