"""`manage.py backup DIR`: database, uploaded files and a manifest (zhidao/core/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhidao.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write the database, the uploaded files and a checksummed manifest into DIR."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="a new or empty directory")

    def handle(self, *args, directory, **options):
        try:
            result = backup(directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = result.manifest
        self.stdout.write(
            f"Backup in {result.directory}: {manifest['database']['file']}, "
            f"{len(manifest['tables'])} tables, {sum(manifest['tables'].values())} rows, "
            f"{len(manifest['media'])} uploaded files."
        )
