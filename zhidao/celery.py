import os

from celery import Celery, Task

from zhidao.core.scoping import unguarded

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhidao.settings.dev")


class BackgroundTask(Task):
    """Tasks run as the system, not as a user: no scope guard, also when one runs eagerly right
    after a request's commit (the demo, tests)."""

    def __call__(self, *args, **kwargs):
        with unguarded():
            return super().__call__(*args, **kwargs)


app = Celery("zhidao", task_cls=BackgroundTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
