"""Rebuild every summary row of the appeal statistics from the appeals (stats.py)."""

from django.core.management.base import BaseCommand

from zhidao.appeals.stats import rebuild


class Command(BaseCommand):
    help = "Rebuild the summary rows of the appeal statistics from the appeals."

    def handle(self, *args, **options):
        self.stdout.write(f"rows={rebuild()}")
