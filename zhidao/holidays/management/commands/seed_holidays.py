from django.core.management.base import BaseCommand
from django.db import transaction

from zhidao.holidays.models import CalendarDay, CalendarYear
from zhidao.holidays.seeding import seed_from_package


class Command(BaseCommand):
    help = "Seed or update the holiday table from the chinese-calendar package (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--overwrite-manual",
            action="store_true",
            help="Replace years a federation admin entered by hand when the package covers them.",
        )

    def handle(self, *args, overwrite_manual=False, **options):
        with transaction.atomic():
            report = seed_from_package(CalendarYear, CalendarDay, overwrite_manual=overwrite_manual)
        for label, years in (
            ("created", report.created),
            ("updated", report.updated),
            ("unchanged", report.unchanged),
            ("kept (entered by hand)", report.skipped_manual),
        ):
            if years:
                self.stdout.write(f"{label}: {', '.join(str(year) for year in years)}")
