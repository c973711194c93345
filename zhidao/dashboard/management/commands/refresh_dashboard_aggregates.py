from datetime import date, timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from zhidao.dashboard.aggregates import NIGHTLY_DAYS, refresh_dashboard_aggregates


class Command(BaseCommand):
    help = "Rebuild the federation dashboard's summary rows from a date (default: a year ago)."

    def add_arguments(self, parser):
        parser.add_argument("--since", type=date.fromisoformat, default=None)

    def handle(self, *args, since=None, **options):
        today = timezone.localdate()
        since = since or today - timedelta(days=NIGHTLY_DAYS)
        count = refresh_dashboard_aggregates(since=since, today=today)
        self.stdout.write(f"{count} rows from {since.isoformat()}")
