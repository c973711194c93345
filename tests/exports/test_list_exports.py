"""List exports (zhidao/core/exports.py): the list page's own filtered, scoped rows, a Chinese file
name, the query count of a page, and the background path for a long list."""

import re
import uuid
from datetime import date, datetime, timedelta
from io import BytesIO
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories
from tests.permissions.expectations import LIST_EXPORTS
from zhidao.audit.models import AccessEvent, AccessEventKind
from zhidao.core import exports as list_exports
from zhidao.exports.models import ExportFile, ExportStatus
from zhidao.exports.services import delete_expired_exports
from zhidao.fieldwork.models import OnSiteDay, OnSiteDayStatus
from zhidao.notifications.models import Notification

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 25)
DAYS = reverse("exports:export", args=["on-site-days"])


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        yield


def make_days(side: dict, count: int, *, status=OnSiteDayStatus.CONFIRMED, start: int = 1):
    """`count` on-site days on the side's organization, one a day going back from yesterday."""
    days = []
    for offset in range(start, start + count):
        on_date = TODAY - timedelta(days=offset)
        days.append(
            OnSiteDay.objects.create(
                assignment=side["assignment"],
                organization=side["organization"],
                instructor=side["instructor"],
                on_date=on_date,
                checked_in_at=datetime.combine(on_date, datetime.min.time(), SHANGHAI)
                + timedelta(hours=9),
                status=status,
                client_uuid=uuid.uuid4(),
            )
        )
    return days


def sheet_rows(content: bytes) -> list[tuple]:
    return list(load_workbook(BytesIO(content)).active.iter_rows(values_only=True))


def utf8_filename(response) -> str:
    header = response["Content-Disposition"]
    match = re.search(r"filename\*=UTF-8''(\S+)", header, flags=re.IGNORECASE)
    assert match, header
    return unquote(match.group(1))


# ----- the file name -----


def test_file_name_is_list_federation_and_day_in_chinese_with_an_ascii_fallback(client, world):
    client.force_login(world["mine"]["admin"])
    response = client.get(DAYS)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert utf8_filename(response) == "驻点记录_湘潭市总工会_20261125.xlsx"
    assert 'filename="on-site-days_20261125.xlsx"' in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize(
    ("role", "scope"),
    [("leader", "湘潭市总工会"), ("instructor_user", "湘潭指导员"), ("officer", "湘潭测试工会")],
)
def test_file_name_names_the_leaders_federation_the_instructor_or_the_union(
    client, world, role, scope
):
    client.force_login(world["mine"][role])
    response = client.get(reverse("exports:export", args=["work-records"]))
    assert utf8_filename(response) == f"工作记录_{scope}_20261125.xlsx"


def test_district_admin_exports_under_the_district_name(client, world):
    district_admin = factories.federation_admin(world["mine"]["district"])
    client.force_login(district_admin)
    assert utf8_filename(client.get(DAYS)) == "驻点记录_湘潭区总工会_20261125.xlsx"


def test_documents_once_named_in_english_have_chinese_names(client, world):
    from zhidao.evaluation.exports import evaluation_filename

    assignment = world["mine"]["assignment"]
    assert evaluation_filename(assignment) == "期满考核表_湘潭指导员_湘潭第一期.docx"


# ----- the rows -----


def test_rows_are_the_pages_filtered_rows_and_no_other_scopes(client, world):
    mine, other = world["mine"], world["other"]
    make_days(mine, 3, status=OnSiteDayStatus.CONFIRMED)
    make_days(mine, 2, status=OnSiteDayStatus.UNCONFIRMED, start=10)
    make_days(other, 4, status=OnSiteDayStatus.CONFIRMED)
    client.force_login(mine["admin"])

    response = client.get(DAYS, {"status": "confirmed", "page": "2"})

    rows = sheet_rows(response.content)
    assert rows[0][:3] == ("日期", "两新组织", "工会指导员")
    expected = OnSiteDay.objects.filter(
        organization__federation__path__startswith=mine["city"].path,
        status=OnSiteDayStatus.CONFIRMED,
    ).count()
    assert expected == 3
    assert len(rows) - 1 == expected
    assert {row[1] for row in rows[1:]} == {mine["organization"].name}
    # The page's newest-first order; dates as dates, choices by their labels.
    assert [row[0].date() for row in rows[1:]] == [TODAY - timedelta(days=n) for n in (1, 2, 3)]
    assert {row[8] for row in rows[1:]} == {"已确认"}


def test_the_pages_export_button_carries_its_filters(client, world):
    client.force_login(world["mine"]["admin"])
    page = client.get(reverse("fieldwork:on_site_day_list"), {"status": "confirmed", "page": "1"})
    html = page.content.decode()
    assert f'href="{DAYS}?status=confirmed"' in html
    assert "导出 Excel" in html


def test_another_scopes_rows_never_appear_in_any_list_export(client, world):
    make_days(world["other"], 2)
    other_names = {world["other"]["organization"].name, world["other"]["instructor"].name}
    # The audit log's exports are the audit administrator's alone (三员分立), and a top-level
    # auditor also reads the entries with no actor, whatever their object's scope: a known gap
    # (the closing note of this change), so they are left out here until it is scoped.
    client.force_login(world["mine"]["admin"])
    for key in set(LIST_EXPORTS) - {"audit-log", "access-events"}:
        response = client.get(reverse("exports:export", args=[key]))
        assert response.status_code == 200, key
        text = " ".join(str(cell) for row in sheet_rows(response.content) for cell in row)
        assert not any(name in text for name in other_names), key


def test_export_is_written_to_the_access_log(client, world):
    make_days(world["mine"], 2)
    client.force_login(world["mine"]["admin"])
    client.get(DAYS, {"status": "confirmed"})
    event = AccessEvent.objects.get(kind=AccessEventKind.EXPORT)
    assert event.user == world["mine"]["admin"]
    assert "2" in event.detail and "status=confirmed" in event.detail


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def make_records(side: dict, count: int, start: int = 0) -> None:
    from zhidao.fieldwork import services

    for offset in range(start, start + count):
        services.create_work_record(
            actor=side["instructor_user"],
            client_uuid=uuid.uuid4(),
            assignment_id=side["assignment"].pk,
            organization_id=side["organization"].pk,
            duty="investigation",
            worked_on=TODAY - timedelta(days=offset % 5),
            content=f"走访职工 {offset}",
        )


def make_ended_assignments(side: dict, count: int, start: int = 0) -> None:
    from zhidao.dispatch.models import Assignment, AssignmentStatus

    ids = []
    for number in range(start, start + count):
        instructor = factories.InstructorFactory(name=f"指导员{number}", federation=side["city"])
        organization = factories.OrganizationFactory(federation=side["district"])
        assignment = factories.make_assignment(
            instructor=instructor, organizations=[organization], batch=side["batch"]
        )
        ids.append(assignment.pk)
    Assignment.objects.filter(pk__in=ids).update(status=AssignmentStatus.COMPLETED)


def make_appeals(side: dict, count: int, start: int = 0) -> None:
    from zhidao.appeals.public_services import current_poster_token, submit_appeal

    poster = current_poster_token(organization=side["organization"])
    for number in range(start, start + count):
        submit_appeal(
            organization=side["organization"],
            category="wages",
            description=f"拖欠工资 {number}",
            anonymous=number % 2 == 0,
            name="王小明",
            phone="13912345678",
            consent=True,
            poster=poster,
        )


MAKERS = {
    "on-site-days": lambda side, count, start: make_days(side, count, start=start + 1),
    "work-records": make_records,
    "evaluations": make_ended_assignments,
    "appeals": make_appeals,
}


@pytest.mark.parametrize("key", sorted(MAKERS))
def test_query_count_does_not_grow_with_the_rows(client, world, key):
    mine = world["mine"]
    url = reverse("exports:export", args=[key])
    MAKERS[key](mine, 2, 0)
    client.force_login(mine["admin"])
    client.get(url)  # warm the caches (content types, the scope) before counting
    few = count_queries(client, url)
    MAKERS[key](mine, 20, 100)
    response = client.get(url)
    assert len(sheet_rows(response.content)) - 1 >= 22
    assert count_queries(client, url) == few


# ----- the background path -----


@override_settings(EXPORT_SYNC_MAX_ROWS=2)
def test_a_long_list_is_exported_in_the_background_and_arrives_in_the_inbox(
    client, world, django_capture_on_commit_callbacks
):
    mine = world["mine"]
    make_days(mine, 3)
    make_days(world["other"], 2)
    admin = mine["admin"]
    client.force_login(admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(DAYS, {"status": "confirmed"})

    assert response.status_code == 302
    assert response["Location"] == reverse("fieldwork:on_site_day_list") + "?status=confirmed"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "导出已在后台进行，完成后将通知您"
    ]
    export_file = ExportFile.objects.get()
    assert (export_file.user, export_file.status, export_file.row_count) == (
        admin,
        ExportStatus.DONE,
        3,
    )
    notification = Notification.objects.get(recipient=admin, cause_key=f"export:{export_file.pk}")
    assert notification.link == reverse("exports:download", args=[export_file.pk])

    download = client.get(notification.link)
    assert download.status_code == 200
    assert utf8_filename(download) == "驻点记录_湘潭市总工会_20261125.xlsx"
    rows = sheet_rows(b"".join(download.streaming_content))
    assert len(rows) - 1 == 3
    assert {row[1] for row in rows[1:]} == {mine["organization"].name}


@override_settings(EXPORT_SYNC_MAX_ROWS=2)
@pytest.mark.parametrize("who", ["leader", "other_admin"])
def test_a_background_export_is_its_requesters_only(
    client, world, who, django_capture_on_commit_callbacks
):
    make_days(world["mine"], 3)
    client.force_login(world["mine"]["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        client.get(DAYS)
    link = reverse("exports:download", args=[ExportFile.objects.get().pk])

    client.force_login(world["other"]["admin"] if who == "other_admin" else world["mine"][who])
    assert client.get(link).status_code == 404


def test_a_failed_background_export_is_reported_to_its_requester(world):
    from zhidao.exports.services import build_export_file

    admin = world["mine"]["admin"]
    export_file = ExportFile.objects.create(user=admin, list_key="gone", filename="x.xlsx")
    build_export_file(export_file_id=export_file.pk)
    export_file.refresh_from_db()
    assert export_file.status == ExportStatus.FAILED
    notification = Notification.objects.get(recipient=admin)
    assert notification.link == ""


def test_export_files_past_their_days_are_deleted(client, world, settings):
    from django.core.files.base import ContentFile

    settings.EXPORT_FILE_DAYS = 7
    admin = world["mine"]["admin"]
    files = []
    for age in (8, 1):
        export_file = ExportFile(user=admin, list_key="on-site-days", filename="x.xlsx")
        export_file.file.save(f"{age}.xlsx", ContentFile(b"PK"), save=False)
        export_file.status = ExportStatus.DONE
        export_file.save()
        ExportFile.objects.unscoped().filter(pk=export_file.pk).update(
            created_at=datetime(2026, 11, 25, 10, tzinfo=SHANGHAI) - timedelta(days=age)
        )
        files.append(export_file)
    old, recent = files
    storage = old.file.storage

    assert delete_expired_exports() == 1
    assert list(ExportFile.objects.unscoped().values_list("pk", flat=True)) == [recent.pk]
    assert not storage.exists(old.file.name) and storage.exists(recent.file.name)


def test_the_cleanup_runs_daily():
    from django.conf import settings

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "exports.delete_expired" in tasks


# ----- the registry -----


def test_every_registered_list_is_in_the_permission_matrix_and_names_its_page():
    keys = [export.key for export in list_exports.registered()]
    assert set(keys) >= set(LIST_EXPORTS)
    for export in list_exports.registered():
        assert export.key in LIST_EXPORTS, f"{export.key}: add it to LIST_EXPORTS"
        reverse(export.list_url)


def test_text_that_looks_like_a_formula_stays_text_and_dates_are_dates(client, world):
    from zhidao.fieldwork.records.services import create_practical_matter

    mine = world["mine"]
    create_practical_matter(
        actor=mine["instructor_user"],
        assignment_id=mine["assignment"].pk,
        organization_id=mine["organization"].pk,
        title="=HYPERLINK(1)",
        beneficiary="workers",
        category="canteen",
        beneficiaries_count=12,
        status="done",
        started_on=date(2026, 10, 1),
        completed_on=date(2026, 11, 1),
    )
    client.force_login(mine["admin"])
    response = client.get(reverse("exports:export", args=["practical-matters"]))
    sheet = load_workbook(BytesIO(response.content)).active
    title, started = sheet["A2"], sheet["J2"]
    assert (title.value, title.data_type) == ("=HYPERLINK(1)", "s")
    assert started.is_date and started.value.date() == date(2026, 10, 1)
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
