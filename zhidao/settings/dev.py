"""Local development and the demo: DEBUG on unless the environment says otherwise."""

from .base import *
from .base import env

DEBUG = env.bool("DEBUG", default=True)

# The demo runs with no broker: background tasks (the figures refresh after each write, the
# reminders) run in the server's own process; `serve_demo` also runs their schedule there.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
