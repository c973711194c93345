"""The read-replica router (zhidao/core/db_router.py).

The first tests check its decisions and run everywhere (no replica needed: the router is asked
directly). The tests marked "replica" run against a real PostgreSQL streaming standby
(`scripts/pg_replica.py start`, `DATABASE_REPLICA_URL`): a figure written on the primary is read
from the standby once it has replayed, and a user's own write is read back at once from the
primary. In CI on PostgreSQL a missing standby fails them; elsewhere they are skipped."""

import os
import time
from datetime import date

import pytest
import time_machine
from django.conf import settings
from django.core import signing
from django.core.exceptions import MiddlewareNotUsed
from django.db import connections, transaction
from django.http import HttpResponse, HttpResponseBadRequest
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhidao.audit.models import AccessEvent, AccessEventKind
from zhidao.core import db_router
from zhidao.core.db_router import (
    COOKIE,
    REPLICA,
    ReplicaRouter,
    ReplicaStickinessMiddleware,
    replica_reads,
    use_replica,
)
from zhidao.fieldwork.models import WorkRecord
from zhidao.figures.models import AssignmentWeekFigures
from zhidao.figures.refresh import rebuild

router = ReplicaRouter()


def read_db() -> str:
    return router.db_for_read(AccessEvent)


@pytest.fixture
def fake_replica(monkeypatch, settings):
    """The router's decisions as if a replica alias were configured (nothing connects to it)."""
    settings.REPLICA_READS = True
    monkeypatch.setattr(db_router, "replica_alias_configured", lambda: True)


# ----- the decisions -----


def test_reads_go_to_the_replica_only_inside_use_replica(fake_replica):
    assert read_db() == "default"
    with use_replica():
        assert read_db() == REPLICA
    assert read_db() == "default"


def test_without_a_replica_everything_reads_the_primary(settings, monkeypatch):
    settings.REPLICA_READS = True
    monkeypatch.setattr(db_router, "replica_alias_configured", lambda: False)
    with use_replica():
        assert read_db() == "default"


def test_the_tests_turn_replica_reads_off(monkeypatch):
    """tests/conftest.py: outside the replica tests nothing reads a lagging replica."""
    monkeypatch.setattr(db_router, "replica_alias_configured", lambda: True)
    with use_replica():
        assert read_db() == "default"


def test_writes_and_migrations_go_to_the_primary(fake_replica):
    with use_replica():
        assert router.db_for_write(AccessEvent) == "default"
    assert router.allow_migrate("default", "audit") is True
    assert router.allow_migrate(REPLICA, "audit") is False
    assert router.allow_relation(object(), object()) is True


def test_inside_a_transaction_reads_stay_on_the_primary(fake_replica, db):
    with use_replica():
        # The test itself runs in a transaction (pytest-django's TestCase)
        assert connections["default"].in_atomic_block
        assert read_db() == "default"


def test_a_transaction_in_the_block_reads_the_primary(fake_replica, transactional_db):
    with use_replica():
        assert read_db() == REPLICA
        with transaction.atomic():
            assert read_db() == "default"
        assert read_db() == REPLICA


def test_after_its_own_write_the_block_reads_the_primary(fake_replica, transactional_db):
    with use_replica():
        assert read_db() == REPLICA
        with connections["default"].cursor() as cursor:  # a read is no write
            cursor.execute("SELECT 1")
        assert read_db() == REPLICA
        WorkRecord.objects.filter(pk=0).update(content="")  # any table but an audit one
        assert read_db() == "default"
    with use_replica():  # the next block starts on the replica again
        assert read_db() == REPLICA


def test_an_audit_record_written_in_the_block_keeps_its_reads_on_the_replica(
    fake_replica, transactional_db
):
    """An export writes its access event first; nothing in the block reads it back."""
    with use_replica():
        AccessEvent.objects.create(kind=AccessEventKind.EXPORT, username="someone")
        assert AccessEvent.objects.using("default").filter(username="someone").exists()
        assert read_db() == REPLICA
        with connections["default"].cursor() as cursor:  # the chain head, as sealing writes it
            cursor.execute('UPDATE "audit_chainhead" SET "seq" = "seq" WHERE 1 = 0')
        assert read_db() == REPLICA


def test_related_rows_of_an_object_from_the_primary_come_from_the_primary(fake_replica):
    event = AccessEvent(kind=AccessEventKind.EXPORT)
    event._state.db = "default"
    with use_replica():
        assert router.db_for_read(AccessEvent, instance=event) == "default"
        event._state.db = REPLICA
        assert router.db_for_read(AccessEvent, instance=event) == REPLICA


def test_the_decorator_wraps_the_view(fake_replica):
    seen = []

    @replica_reads
    def view(request):
        seen.append(read_db())
        return HttpResponse()

    view(RequestFactory().get("/"))
    assert seen == [REPLICA]
    assert view.__name__ == "view"


# ----- read your own writes: the cookie -----


def _middleware(status=200):
    seen = []

    def view(request):
        with use_replica():
            seen.append(read_db())
        return HttpResponse() if status == 200 else HttpResponseBadRequest()

    return ReplicaStickinessMiddleware(view), seen


def test_a_successful_post_keeps_the_next_requests_on_the_primary(fake_replica):
    middleware, seen = _middleware()
    assert COOKIE not in middleware(RequestFactory().get("/")).cookies
    response = middleware(RequestFactory().post("/"))
    cookie = response.cookies[COOKIE]
    assert cookie["max-age"] == settings.REPLICA_READ_YOUR_WRITES_SECONDS == 5
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    again = RequestFactory().get("/")
    again.COOKIES[COOKIE] = cookie.value
    middleware(again)
    assert seen == [REPLICA, REPLICA, "default"]
    assert read_db() == "default"  # and nothing stays behind after the request


def test_the_cookie_runs_out_and_cannot_be_forged(fake_replica, monkeypatch):
    middleware, seen = _middleware()
    cookie = middleware(RequestFactory().post("/")).cookies[COOKIE].value
    later = time.time() + 6
    monkeypatch.setattr(signing.time, "time", lambda: later)
    request = RequestFactory().get("/")
    request.COOKIES[COOKIE] = cookie
    middleware(request)
    forged = RequestFactory().get("/")
    forged.COOKIES[COOKIE] = str(int(later))
    middleware(forged)
    assert seen == [REPLICA, REPLICA, REPLICA]


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_every_unsafe_method_sets_the_cookie(fake_replica, method):
    middleware, _seen = _middleware()
    assert COOKIE in middleware(getattr(RequestFactory(), method)("/")).cookies


def test_a_failed_post_sets_no_cookie(fake_replica):
    middleware, _seen = _middleware(status=400)
    assert COOKIE not in middleware(RequestFactory().post("/")).cookies


def test_without_a_replica_the_middleware_is_left_out(monkeypatch):
    monkeypatch.setattr(db_router, "replica_alias_configured", lambda: False)
    with pytest.raises(MiddlewareNotUsed):
        ReplicaStickinessMiddleware(lambda request: HttpResponse())


# ----- against the real standby -----

# Without a replica alias the tests ask for the primary only, and skip (_needs_replica).
DATABASES = ["default", REPLICA] if REPLICA in settings.DATABASES else ["default"]
DASHBOARD = reverse("core:federation_dashboard")
TODAY = date(2026, 11, 25)


def _needs_replica():
    if REPLICA in settings.DATABASES:
        return None
    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    if os.environ.get("CI") == "true" and on_postgres:
        pytest.fail("CI on PostgreSQL runs the replica tests: DATABASE_REPLICA_URL is not set")
    pytest.skip(
        "needs a PostgreSQL streaming replica: python3 scripts/pg_replica.py start, then "
        "DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:5433/<the DATABASE_URL's name>"
    )


def _one(alias: str, sql: str, params=None):
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchone()[0]


def wait_for_replay(seconds: float = 10) -> None:
    """Until the standby has replayed everything the primary has written so far."""
    target = _one("default", "select pg_current_wal_lsn()")
    for _ in range(int(seconds * 20)):
        if _one(REPLICA, "select pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]):
            return
        time.sleep(0.05)
    pytest.fail(f"the standby did not replay up to {target} within {seconds} s")


@pytest.fixture
def standby(transactional_db):
    _needs_replica()
    try:
        assert _one(REPLICA, "select 1") == 1
    except Exception as error:  # noqa: BLE001 - any failure to connect is the message
        pytest.fail(f"the replica at DATABASE_REPLICA_URL does not answer: {error}")
    # A real standby of this very database, not a second name for the primary.
    assert _one(REPLICA, "select pg_is_in_recovery()") is True
    assert _one("default", "select pg_is_in_recovery()") is False
    replica = connections[REPLICA].settings_dict
    assert replica["NAME"] == connections["default"].settings_dict["NAME"]
    assert replica["PORT"] != connections["default"].settings_dict["PORT"]
    yield
    _one(REPLICA, "select pg_wal_replay_resume()")


def _pause_replay() -> None:
    _one(REPLICA, "select pg_wal_replay_pause()")
    for _ in range(200):
        if _one(REPLICA, "select pg_get_wal_replay_pause_state()") == "paused":
            return
        time.sleep(0.05)
    pytest.fail("the standby did not pause its replay")


def _record(assignment, worked_on):
    return WorkRecord.objects.create(
        assignment=assignment,
        organization=assignment.organizations.first(),
        instructor=assignment.instructor,
        duty="guidance",
        worked_on=worked_on,
        recorded_on=worked_on,
        content="走访职工",
    )


def _shown(client) -> tuple[str, list[str], list[str]]:
    """The dashboard's work-record figure, and the SQL that went to each database."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        response = client.get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('data-figure="work_records">') + len('data-figure="work_records">')
    return (
        html[start : html.index("<", start)],
        [query["sql"] for query in primary.captured_queries],
        [query["sql"] for query in replica.captured_queries],
    )


@pytest.mark.replica
@pytest.mark.django_db(transaction=True, databases=DATABASES)
def test_a_figure_is_read_from_the_standby_and_own_writes_from_the_primary(standby, world, client):
    figures_table = AssignmentWeekFigures._meta.db_table
    mine = world["mine"]
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        _record(mine["assignment"], date(2026, 11, 17))
        rebuild(since=date(2026, 7, 1), today=TODAY)
        wait_for_replay()
        client.force_login(mine["admin"])

        # Replayed: the figure is read from the standby, the figures' rows from there only.
        shown, on_primary, on_replica = _shown(client)
        assert shown == "1"
        assert any(figures_table in sql for sql in on_replica)
        assert not any(figures_table in sql for sql in on_primary)

        # The standby holds back a new figure: the dashboard still shows the replica's.
        _pause_replay()
        _record(mine["assignment"], date(2026, 11, 18))
        rebuild(since=date(2026, 7, 1), today=TODAY)
        shown, _on_primary, on_replica = _shown(client)
        assert shown == "1" and on_replica

        # The user's own write: their next page reads the primary at once, lag or not.
        response = client.post(reverse("notifications:mark_all_read"))
        assert response.status_code == 302
        shown, on_primary, on_replica = _shown(client)
        assert shown == "2"
        assert on_replica == []
        assert any(figures_table in sql for sql in on_primary)

        # Once replayed, another browser reads the new figure from the standby.
        _one(REPLICA, "select pg_wal_replay_resume()")
        wait_for_replay()
        client.cookies.pop(COOKIE)
        shown, _on_primary, on_replica = _shown(client)
        assert shown == "2"
        assert any(figures_table in sql for sql in on_replica)


@pytest.mark.replica
@pytest.mark.django_db(transaction=True, databases=DATABASES)
def test_an_export_reads_its_rows_from_the_standby_and_writes_on_the_primary(
    standby, world, client
):
    mine = world["mine"]
    wait_for_replay()
    client.force_login(mine["admin"])
    events = AccessEvent.objects.count()
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        response = client.get(reverse("exports:export", args=["batches"]))
    assert response.status_code == 200, response.content[:500]
    assert AccessEvent.objects.count() == events + 1  # the audit entry, on the primary
    assert any("INSERT" in query["sql"] for query in primary.captured_queries)
    assert not any("INSERT" in query["sql"] for query in replica.captured_queries)
    assert any("dispatch_batch" in query["sql"] for query in replica.captured_queries)
    assert not any("dispatch_batch" in query["sql"] for query in primary.captured_queries)


@pytest.mark.replica
@pytest.mark.django_db(transaction=True, databases=DATABASES)
@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("core:federation_dashboard", ""),
        ("core:federation_dashboard_xlsx", ""),
        ("reports:upward", ""),
        ("reports:upward_xlsx", ""),
        ("reports:upward_docx", ""),
        ("reports:report_rollup", "year=2026&quarter=3"),
        ("figures:exchange_statistics", ""),
        ("figures:standards_statistics", ""),
        ("fieldwork:compliance_heatmap", ""),
        ("fieldwork:compliance_export", ""),
    ],
)
def test_the_heavy_pages_read_from_the_standby(standby, world, client, name, query):
    wait_for_replay()
    client.force_login(world["mine"]["admin"])
    with CaptureQueriesContext(connections[REPLICA]) as replica:
        response = client.get(f"{reverse(name)}?{query}")
    assert response.status_code == 200
    assert replica.captured_queries


@pytest.mark.replica
@pytest.mark.django_db(transaction=True, databases=DATABASES)
def test_the_apis_read_from_the_standby(standby, world, client):
    wait_for_replay()
    client.force_login(world["mine"]["admin"])
    for url in ("/api/dashboard/", "/api/upward-report/"):
        with CaptureQueriesContext(connections[REPLICA]) as replica:
            response = client.get(url)
        assert response.status_code == 200, url
        assert replica.captured_queries, url
