"""Service levels in working days, from the holiday table seeded from chinese-calendar
(2026: 国庆 1–7 October, 调休 Saturday 10 October)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from zhidao.appeals.sla import compute_deadlines, is_overdue, working_days_late

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_deadlines_skip_the_national_day_week_and_count_the_adjusted_saturday():
    deadlines = compute_deadlines(datetime(2026, 9, 30, 15, 0, tzinfo=SHANGHAI))

    assert deadlines.accept_due == date(2026, 10, 8)  # the first working day after 国庆
    assert deadlines.first_answer_due == date(2026, 10, 10)  # 调休 Saturday is a working day
    assert deadlines.resolve_due == date(2026, 10, 27)


def test_appeal_received_during_the_holiday_starts_counting_after_it():
    deadlines = compute_deadlines(datetime(2026, 10, 3, 9, 0, tzinfo=SHANGHAI))

    assert deadlines.accept_due == date(2026, 10, 8)
    assert deadlines.first_answer_due == date(2026, 10, 10)


def test_appeal_received_on_the_friday_before_an_adjusted_saturday_is_due_that_saturday():
    deadlines = compute_deadlines(datetime(2026, 10, 9, 17, 0, tzinfo=SHANGHAI))

    assert deadlines.accept_due == date(2026, 10, 10)
    assert deadlines.first_answer_due == date(2026, 10, 13)


def test_appeal_received_on_an_adjusted_saturday_counts_from_that_day():
    deadlines = compute_deadlines(datetime(2026, 10, 10, 10, 0, tzinfo=SHANGHAI))

    assert deadlines.accept_due == date(2026, 10, 12)  # Sunday 11 October is a rest day


def test_receipt_day_is_the_local_day_in_china():
    # 16:30 UTC on 30 September is 00:30 on 1 October in Beijing time.
    deadlines = compute_deadlines(datetime(2026, 9, 30, 16, 30, tzinfo=ZoneInfo("UTC")))

    assert deadlines.accept_due == date(2026, 10, 8)
    assert deadlines.resolve_due == date(2026, 10, 27)


def test_ordinary_week_deadlines_skip_the_weekend():
    deadlines = compute_deadlines(datetime(2026, 11, 25, 9, 0, tzinfo=SHANGHAI))  # Wednesday

    assert deadlines.accept_due == date(2026, 11, 26)
    assert deadlines.first_answer_due == date(2026, 11, 30)
    assert deadlines.resolve_due == date(2026, 12, 16)


def test_deadlines_follow_the_settings(settings):
    settings.APPEALS_ACCEPT_WORKING_DAYS = 2

    deadlines = compute_deadlines(date(2026, 11, 25))

    assert deadlines.accept_due == date(2026, 11, 27)


def test_a_step_is_overdue_only_after_its_last_day_and_until_done():
    due = date(2026, 10, 8)

    assert not is_overdue(due, today=date(2026, 10, 8))
    assert is_overdue(due, today=date(2026, 10, 9))
    assert not is_overdue(due, today=date(2026, 10, 9), done=True)


def test_working_days_late_skip_rest_days():
    assert working_days_late(date(2026, 10, 9), today=date(2026, 10, 12)) == 2  # Sat 10 + Mon 12
