"""The production settings pass Django's deployment checklist."""

import os
import secrets
import subprocess
import sys

from cryptography.fernet import Fernet
from django.conf import settings


def test_check_deploy_with_production_settings_reports_nothing():
    # Not the test process's own switches: the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE.
    inherited = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG"}
    }
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "zhidao.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "zhidao.example.org",
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "AUDIT_CHAIN_KEY": secrets.token_urlsafe(32),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
