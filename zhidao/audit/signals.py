"""Authentication events into the access log (django-auditlog has none), and every new audit
record into the hash chain once its transaction commits (chain.py)."""

from auditlog.models import LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from . import chain
from .models import AccessEvent, AccessEventKind
from .services import record_access_event, record_failed_login


@receiver(user_logged_in, dispatch_uid="audit_user_logged_in")
def _logged_in(sender, request, user, **kwargs):
    record_access_event(kind=AccessEventKind.LOGIN, request=request, user=user)


@receiver(user_logged_out, dispatch_uid="audit_user_logged_out")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record_access_event(kind=AccessEventKind.LOGOUT, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="audit_user_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    record_failed_login(request=request, username=str(credentials.get("username") or ""))


@receiver(post_save, sender=LogEntry, dispatch_uid="audit_seal_log_entry")
def _seal_log_entry(sender, instance, created, **kwargs):
    if created:
        chain.seal_on_commit(chain.LOG_ENTRY, instance.pk)


@receiver(post_save, sender=AccessEvent, dispatch_uid="audit_seal_access_event")
def _seal_access_event(sender, instance, created, **kwargs):
    if created:
        chain.seal_on_commit(chain.ACCESS_EVENT, instance.pk)
