"""Refresh every app's zh_Hans catalogue from its own code (run from the checkout):

    .venv/bin/python scripts/makemessages.py          # all apps with a locale/ folder
    .venv/bin/python scripts/makemessages.py figures  # one app

Each app keeps its own catalogue (DESIGN.md: templates and messages per app), so makemessages runs
inside each app folder; Django is set up first, from the checkout."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhidao.settings.dev")

import django  # noqa: E402
from django.core.management import call_command  # noqa: E402

django.setup()
apps = sys.argv[1:] or sorted(p.parent.name for p in (ROOT / "zhidao").glob("*/locale"))
for app in apps:
    os.chdir(ROOT / "zhidao" / app)
    call_command("makemessages", locale=["zh_Hans"], no_obsolete=True, verbosity=0)
    print(f"{app}: zhidao/{app}/locale/zh_Hans/LC_MESSAGES/django.po")
