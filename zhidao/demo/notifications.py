"""Demo notifications: what this week's beat tasks would have sent by `today`."""

from datetime import date, timedelta

from zhidao.dashboard.digest import send_daily_digests
from zhidao.fieldwork.compliance.reminders import send_onsite_reminders
from zhidao.holidays.calendar import week_start
from zhidao.reports.reminders import send_report_reminders


def load_demo_notifications(*, today: date, rng=None) -> dict[str, int]:
    """Run the reminders as the beat schedule would have this week: the Thursday on-site
    reminder (for the week's Thursday, also when today is earlier in the week), the report
    reminders and today's admin digest. Idempotent: the cause keys make a second load a no-op."""
    thursday = week_start(today) + timedelta(days=3)
    return {
        "onsite": send_onsite_reminders(today=min(thursday, today + timedelta(days=1))),
        "reports": send_report_reminders(today=today),
        "digest": send_daily_digests(today=today),
    }
