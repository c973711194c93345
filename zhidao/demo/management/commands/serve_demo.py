"""Serve the demo with its background work in the same process: the scheduled tasks (nightly
figures, reminders, the appeals' deadline checks) run from a scheduler thread, and the tasks a
write queues after it commits run at once (CELERY_TASK_ALWAYS_EAGER in the demo's settings), so
the demo needs no Redis and no worker and still shows a live programme."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from zhidao.demo.scheduler import start_scheduler


class Command(BaseCommand):
    help = "Serve the demo on ADDRPORT with the task schedule running in the same process."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, **options):
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            raise CommandError(
                "serve_demo runs tasks in its own process: set CELERY_TASK_ALWAYS_EAGER=true "
                "(the demo's settings do), or run a Celery worker and beat instead."
            )
        scheduler = start_scheduler(settings.BASE_DIR / "var" / "demo-beat-schedule")
        self.stdout.write("Background tasks: the schedule runs in this process.")
        try:
            call_command("runserver", options["addrport"], use_reloader=False)
        finally:
            scheduler.stop()
