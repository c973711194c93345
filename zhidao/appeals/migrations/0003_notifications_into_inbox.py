"""Move the appeals room's own notifications (escalations) into the one inbox,
notifications.Notification, before 0004 drops the old table.

Every old row was an escalation (services.notify_escalation was its only writer): it becomes an
"appeal_escalated" notification with the same recipient, text, link, time and read state. The
cause key names the old row, so running the move again creates nothing twice. Backwards, the
escalations go back to the old table and leave the inbox."""

from django.db import migrations

KIND = "appeal_escalated"
CAUSE_PREFIX = "appeals-notification:"
TITLE_MAX = 200
BATCH = 1000


def _title(text: str) -> str:
    return text if len(text) <= TITLE_MAX else text[: TITLE_MAX - 1] + "…"


def forwards(apps, schema_editor):
    Old = apps.get_model("appeals", "Notification")
    Inbox = apps.get_model("notifications", "Notification")
    database = schema_editor.connection.alias
    moved = set(
        Inbox.objects.using(database)
        .filter(cause_key__startswith=CAUSE_PREFIX)
        .values_list("cause_key", flat=True)
    )
    batch = []
    for old in Old.objects.using(database).order_by("pk").iterator(chunk_size=BATCH):
        cause_key = f"{CAUSE_PREFIX}{old.pk}"
        if cause_key in moved:
            continue
        batch.append((old, Inbox(
            recipient_id=old.recipient_id,
            kind=KIND,
            title=_title(old.text),
            body=old.text,
            link=old.link,
            cause_key=cause_key,
            read_at=old.read_at,
        )))  # fmt: skip
        if len(batch) >= BATCH:
            _save(Inbox, database, batch)
            batch = []
    _save(Inbox, database, batch)


def _save(Inbox, database, batch) -> None:
    if not batch:
        return
    # PostgreSQL and SQLite (3.35+) give bulk_create the new ids back.
    rows = Inbox.objects.using(database).bulk_create([new for _old, new in batch])
    # created_at is auto_now_add, which bulk_create sets to now: put the old time back.
    for (old, _new), row in zip(batch, rows, strict=True):
        row.created_at = old.created_at
    Inbox.objects.using(database).bulk_update(rows, ["created_at"])


def backwards(apps, schema_editor):
    Old = apps.get_model("appeals", "Notification")
    Inbox = apps.get_model("notifications", "Notification")
    database = schema_editor.connection.alias
    escalations = Inbox.objects.using(database).filter(kind=KIND).order_by("pk")
    batch = []
    for row in escalations.iterator(chunk_size=BATCH):
        batch.append((row, Old(
            recipient_id=row.recipient_id,
            text=(row.body or row.title)[:300],
            link=row.link[:200],
            read_at=row.read_at,
        )))  # fmt: skip
        if len(batch) >= BATCH:
            _restore(Old, database, batch)
            batch = []
    _restore(Old, database, batch)
    escalations.delete()


def _restore(Old, database, batch) -> None:
    if not batch:
        return
    rows = Old.objects.using(database).bulk_create([old for _row, old in batch])
    for (row, _old), old in zip(batch, rows, strict=True):
        old.created_at = row.created_at
    Old.objects.using(database).bulk_update(rows, ["created_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0002_staff_handling"),
        ("notifications", "0002_notification_kind_appeal_escalated"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
