"""`manage.py restore DIR`: into the configured database, which must be empty
(zhidao/core/backup.py). Checks the manifest's checksums and key fingerprints first."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhidao.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup directory into the configured, empty database and MEDIA_ROOT."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--ignore-keys",
            action="store_true",
            help="restore although this environment lacks keys the data was encrypted with",
        )

    def handle(self, *args, directory, ignore_keys=False, **options):
        try:
            manifest = restore(directory, ignore_keys=ignore_keys)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {len(manifest['tables'])} tables ({sum(manifest['tables'].values())} rows, "
            f"every count checked) and {len(manifest['media'])} uploaded files from {directory}."
        )
