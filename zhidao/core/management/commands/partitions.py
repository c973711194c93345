"""`manage.py partitions [--ahead N]`: make the history tables' partitions for this year and the
N years after it (moving rows out of DEFAULT where needed), then list what exists. What the
monthly beat task core.create_partitions_ahead does; on SQLite there is nothing to do."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from zhidao.core import partitions


class Command(BaseCommand):
    help = "Create the yearly partitions ahead (PostgreSQL) and list the partitions."

    def add_arguments(self, parser):
        parser.add_argument(
            "--ahead", type=int, default=1, help="years after this one to create (default 1)"
        )

    def handle(self, *args, ahead: int = 1, **options):
        if ahead < 0:
            raise CommandError("--ahead must be 0 or more.")
        if connection.vendor != "postgresql":
            self.stdout.write("SQLite: the history tables are plain tables, nothing to do.")
            return
        for name in partitions.create_partitions_ahead(ahead=ahead):
            self.stdout.write(self.style.SUCCESS(f"created {name}"))
        for table, parts in partitions.describe().items():
            self.stdout.write(table)
            for part in parts:
                self.stdout.write(f"  {part.name:40} {part.bounds:70} ~{part.rows} rows")
