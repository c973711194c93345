from datetime import date

from django.core.management.base import BaseCommand, CommandError

from zhidao.figures.refresh import rebuild, refresh_recent


class Command(BaseCommand):
    help = (
        "Rebuild the summary rows behind the dashboard and the upward report: the last two "
        "weeks (--recent, what the nightly task does), from a date (--since 2026-01-01), or "
        "every assignment's whole term (default)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", help="First day to rebuild (YYYY-MM-DD).")
        parser.add_argument("--recent", action="store_true", help="Only the last two weeks.")

    def handle(self, *args, **options):
        if options["recent"]:
            rows = refresh_recent()
        else:
            since = None
            if options["since"]:
                try:
                    since = date.fromisoformat(options["since"])
                except ValueError as error:
                    raise CommandError("--since takes a date such as 2026-01-01") from error
            rows = rebuild(since=since)
        self.stdout.write(f"{rows} summary rows written")
