"""Periodic appeal work: escalate appeals past a deadline, close resolved appeals nobody rated.

Run it every few minutes from cron for now; the Celery beat schedule comes with the reporting
issue (zhidao.appeals.tasks holds the task it will call)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from zhidao.appeals.tasks import appeals_tick


class Command(BaseCommand):
    help = "Escalate overdue appeals and close resolved appeals after the rating period."

    def handle(self, *args, **options):
        escalated, closed = appeals_tick(now=timezone.now())
        self.stdout.write(f"escalated={escalated} closed={closed}")
