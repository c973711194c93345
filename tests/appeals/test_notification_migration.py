"""appeals 0003/0004: the appeals room's own notifications move into the one inbox with their
recipient, text, link, time and read state, and back again when the migration is reversed."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("appeals", "0002_staff_handling"),
    ("notifications", "0002_notification_kind_appeal_escalated"),
]
AFTER = [("appeals", "0004_delete_notification")]
SENT = datetime(2026, 11, 20, 1, 30, tzinfo=UTC)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def at_the_old_schema(transactional_db):
    apps = migrate(BEFORE)
    try:
        yield apps
    finally:
        migrate(migrate_leaves())


def migrate_leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_old_notifications_move_into_the_inbox_and_back(at_the_old_schema):
    apps = at_the_old_schema
    User = apps.get_model("accounts", "User")
    Old = apps.get_model("appeals", "Notification")
    staff = User.objects.create(username="rights_staff")
    long_text = "诉求 AAA-BBB-CCC（湘潭测试有限公司）已升级至权益保障部：" + "逾期" * 150
    read = Old.objects.create(
        recipient=staff, text="诉求 KKK-KKK-KKK 已升级", link="/appeals/7/", read_at=SENT
    )
    unread = Old.objects.create(recipient=staff, text=long_text[:300], link="/appeals/8/")
    Old.objects.filter(pk=read.pk).update(created_at=SENT)

    apps = migrate(AFTER)
    Inbox = apps.get_model("notifications", "Notification")
    moved = {row.link: row for row in Inbox.objects.filter(recipient_id=staff.pk)}

    assert set(moved) == {"/appeals/7/", "/appeals/8/"}
    assert {row.kind for row in moved.values()} == {"appeal_escalated"}
    assert moved["/appeals/7/"].title == "诉求 KKK-KKK-KKK 已升级"
    assert moved["/appeals/7/"].created_at == SENT and moved["/appeals/7/"].read_at == SENT
    assert moved["/appeals/8/"].read_at is None
    assert moved["/appeals/8/"].body == long_text[:300]
    assert len(moved["/appeals/8/"].title) == 200 and moved["/appeals/8/"].title.endswith("…")
    assert moved["/appeals/8/"].cause_key == f"appeals-notification:{unread.pk}"
    assert "appeals_notification" not in connection.introspection.table_names()

    apps = migrate(BEFORE)
    Old = apps.get_model("appeals", "Notification")
    back = {row.link: row for row in Old.objects.filter(recipient_id=staff.pk)}
    assert set(back) == {"/appeals/7/", "/appeals/8/"}
    assert back["/appeals/7/"].created_at == SENT and back["/appeals/7/"].read_at == SENT
    assert back["/appeals/8/"].text == long_text[:300]
    Inbox = apps.get_model("notifications", "Notification")
    assert not Inbox.objects.filter(kind="appeal_escalated").exists()
