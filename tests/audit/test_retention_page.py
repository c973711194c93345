"""The retention periods on one page, read from the settings the tasks apply."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories

RETENTION = reverse("audit:retention")


@pytest.fixture
def security(world):
    """The security administrator (三员分立), who sets the security policy and reads it here."""
    return factories.security_admin(world["mine"]["city"])


def test_the_page_lists_every_retention_with_its_current_days(client, security, settings):
    settings.APPEALS_CONTACT_RETENTION_DAYS = 45
    settings.AUDIT_RETENTION_DAYS = 365
    settings.EXPORT_FILE_DAYS = 7
    client.force_login(security)

    response = client.get(RETENTION, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 200
    rows = {rule.key: days for rule, days in response.context["rules"]}
    assert rows == {
        "audit-log": 365,
        "appeal-contacts": 45,
        "appeal-ip-hashes": 30,
        "export-files": 7,
    }
    html = response.content.decode()
    assert "APPEALS_CONTACT_RETENTION_DAYS" in html and "45 天" in html and "365 天" in html
    assert "网络安全法" in html


def test_the_page_costs_a_fixed_number_of_queries(client, security):
    client.force_login(security)
    client.get(RETENTION)  # sessions, permissions and the navigation warmed up

    with CaptureQueriesContext(connection) as queries:
        assert client.get(RETENTION).status_code == 200
    # The page shell's (session, account, roles, navigation badges) and one for the last archive.
    assert len(queries) <= 13


@pytest.mark.parametrize("role", ["admin", "leader", "instructor_user", "officer"])
def test_others_cannot_open_it(client, world, role):
    client.force_login(world["mine"][role])

    assert client.get(RETENTION).status_code == 403


def test_the_navigation_links_it_for_those_who_may_see_it(client, world, security):
    client.force_login(security)
    assert RETENTION in client.get(reverse("people:security")).content.decode()
    for role in ("admin", "leader"):
        client.force_login(world["mine"][role])
        assert RETENTION not in client.get(reverse("core:home")).content.decode()


def test_the_page_names_the_last_archive(client, security):
    from django.utils import timezone

    from zhidao.audit.models import AuditArchive

    AuditArchive.objects.create(
        file_name="audit-000000000001-000000000040.jsonl.gz",
        sha256="0" * 64,
        first_seq=1,
        last_seq=40,
        last_hash="a" * 64,
        log_entries=30,
        access_events=10,
        cutoff=timezone.now(),
    )
    client.force_login(security)

    html = client.get(RETENTION, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "40 条记录" in html and "audit-000000000001-000000000040.jsonl.gz" in html
