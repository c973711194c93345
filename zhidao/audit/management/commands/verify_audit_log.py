"""Verify the audit log's hash chain (zhidao/audit/chain.py); exit 1 naming the first broken link.

With --archive FILE, check an archive file the archive command wrote instead."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhidao.audit import chain
from zhidao.audit.archive import verify_archive_file


class Command(BaseCommand):
    help = "Verify the audit log's hash chain and name the first broken link."

    def add_arguments(self, parser):
        parser.add_argument("--archive", type=Path, help="check this archive file instead")

    def handle(self, *args, archive=None, **options):
        if archive is not None:
            problem = verify_archive_file(archive)
            if problem:
                raise CommandError(f"{archive}: {problem}")
            self.stdout.write(f"{archive}: intact")
            return
        result = chain.verify()
        if not result.ok:
            raise CommandError(
                f"First broken link: {result.first_break} ({result.checked} links before it intact)"
            )
        self.stdout.write(f"Audit chain intact: {result.checked} links checked.")
        if result.unsealed:
            raise CommandError(
                f"{result.unsealed} audit records older than 10 minutes are not in the chain; "
                "review them, then run seal_audit_log."
            )
