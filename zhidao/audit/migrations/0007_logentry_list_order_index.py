"""An index in the audit log list's order (timestamp, then id, read backwards): a keyset page
seeks in it instead of sorting the whole log (zhidao/audit/views.py).

auditlog_logentry belongs to django-auditlog, whose model this project does not own, so the
index is plain SQL that SQLite and PostgreSQL both read. On a large log in production, build it
beforehand with CREATE INDEX CONCURRENTLY under the same name; this then does nothing."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0006_access_event_download"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [
        migrations.RunSQL(
            sql=(
                "CREATE INDEX IF NOT EXISTS auditlog_logentry_list_order "
                "ON auditlog_logentry (timestamp, id)"
            ),
            reverse_sql="DROP INDEX IF EXISTS auditlog_logentry_list_order",
        ),
    ]
