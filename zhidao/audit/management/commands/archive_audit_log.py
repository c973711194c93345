"""Archive the audit records older than the retention (at least 180 days) to a file, then
remove them from the database (zhidao/audit/archive.py). Run it from cron, e.g. monthly."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhidao.audit.archive import ArchiveRefused, archive_before


class Command(BaseCommand):
    help = "Archive audit records older than AUDIT_RETENTION_DAYS (at least 180) to a file."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="retention in days (default: the setting)")
        parser.add_argument("--dir", type=Path, help="directory (default: AUDIT_ARCHIVE_DIR)")

    def handle(self, *args, days=None, dir=None, **options):
        try:
            result = archive_before(days=days, directory=dir)
        except ArchiveRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        if result.archive is None:
            self.stdout.write("Nothing older than the retention.")
            return
        self.stdout.write(
            f"archived={result.count} file={result.path} sha256={result.archive.sha256}"
        )
