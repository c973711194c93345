"""The audit pages: the audit administrator reads its subtree's entries; nobody else gets in,
federation admins and the superuser included (三员分立)."""

from datetime import date
from io import BytesIO

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories
from zhidao.audit.models import AccessEvent, AccessEventKind
from zhidao.orgs import services as org_services
from zhidao.orgs.models import Organization

ENTRIES = reverse("audit:entry_list")
ACCESS = reverse("audit:access_list")
PAGES = [
    ENTRIES,
    ACCESS,
    reverse("exports:export", args=["audit-log"]),
    reverse("exports:export", args=["access-events"]),
]


def rename(user, organization, name, address="10.1.0.1"):
    with set_actor(user, remote_addr=address):
        org_services.update_organization(organization=organization, name=name)


@pytest.fixture
def logged(world):
    """Changes made by people of both scopes, each renaming an organization of its own."""
    for scope, role, name in [
        ("mine", "admin", "湘潭管理员改名公司"),
        ("mine", "officer", "湘潭干部改名公司"),
        ("mine", "instructor_user", "湘潭指导员改名公司"),
        ("other", "admin", "株洲管理员改名公司"),
    ]:
        organization = factories.OrganizationFactory(federation=world[scope]["district"])
        rename(world[scope][role], organization, name)
    return world


@pytest.fixture
def auditor(world):
    """The audit administrator of the first city."""
    return factories.audit_admin(world["mine"]["city"])


def page_text(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("role", ["admin", "leader", "instructor_user", "officer"])
@pytest.mark.parametrize("url", PAGES)
def test_roles_other_than_the_audit_administrator_get_403(client, world, role, url):
    client.force_login(world["mine"][role])
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("make", [factories.system_admin, factories.security_admin])
@pytest.mark.parametrize("url", PAGES)
def test_the_other_two_administrators_get_403(client, world, make, url):
    client.force_login(make(world["mine"]["city"]))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_the_superuser_gets_403(client, db, url):
    client.force_login(factories.UserFactory(is_superuser=True))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitor_is_sent_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_auditor_sees_entries_of_its_subtree_and_not_of_another(client, logged, auditor):
    client.force_login(auditor)
    text = page_text(client, ENTRIES)
    for name in ("湘潭管理员改名公司", "湘潭干部改名公司", "湘潭指导员改名公司"):
        assert name in text
    assert "株洲管理员改名公司" not in text


def test_district_auditor_does_not_see_the_city_admins_changes(client, logged):
    client.force_login(factories.audit_admin(logged["mine"]["district"]))
    text = page_text(client, ENTRIES)
    assert "湘潭干部改名公司" in text  # the officer's union is in the district
    assert "湘潭管理员改名公司" not in text


def test_top_auditor_also_reads_the_systems_and_the_superusers_acts(client, logged, auditor):
    root = factories.UserFactory(is_superuser=True)
    rename(root, factories.OrganizationFactory(federation=logged["mine"]["district"]), "安装改名")
    rename(None, factories.OrganizationFactory(federation=logged["mine"]["district"]), "系统改名")
    district_auditor = factories.audit_admin(logged["mine"]["district"])

    client.force_login(auditor)  # of the first city, a top federation here
    text = page_text(client, ENTRIES)
    assert "安装改名" in text and "系统改名" in text
    assert "株洲管理员改名公司" not in text

    client.force_login(district_auditor)
    text = page_text(client, ENTRIES)
    assert "安装改名" not in text and "系统改名" not in text


def test_entry_shows_time_actor_address_action_and_readable_changes(client, logged, auditor):
    client.force_login(auditor)
    text = page_text(client, ENTRIES, q=logged["mine"]["admin"].username)
    assert "10.1.0.1" in text
    assert "修改" in text
    assert "两新组织" in text  # the record type, by its verbose name
    assert "名称" in text and "湘潭管理员改名公司" in text
    assert str(logged["mine"]["admin"]) in text


def test_foreign_keys_and_choices_show_names_not_codes(client, world, auditor):
    admin = world["mine"]["admin"]
    organization = world["mine"]["organization"]
    new_union = factories.UnionFactory(name="湘潭新建工会", federation=world["mine"]["district"])
    with set_actor(admin, remote_addr="10.1.0.1"):
        org_services.update_organization(
            organization=organization, union=new_union, status="suspended"
        )
    client.force_login(auditor)
    text = page_text(client, ENTRIES)
    assert "湘潭测试工会" in text and "湘潭新建工会" in text
    assert "停业" in text or "暂停" in text or "歇业" in text


def test_filters_by_action_model_actor_and_dates(client, logged, auditor):
    admin = logged["mine"]["admin"]
    with set_actor(admin, remote_addr="10.1.0.1"):
        factories.BatchFactory(federation=logged["mine"]["city"], name="湘潭第九期")
    client.force_login(auditor)
    batch_type = LogEntry.objects.filter(content_type__model="batch").first().content_type_id

    created = page_text(client, ENTRIES, action=LogEntry.Action.CREATE)
    assert "湘潭第九期" in created and "湘潭管理员改名公司" not in created

    batches = page_text(client, ENTRIES, model=batch_type)
    assert "湘潭第九期" in batches and "湘潭干部改名公司" not in batches

    by_officer = page_text(client, ENTRIES, q=logged["mine"]["officer"].username)
    assert "湘潭干部改名公司" in by_officer and "湘潭管理员改名公司" not in by_officer

    future = page_text(client, ENTRIES, date_from="2099-01-01")
    assert "湘潭管理员改名公司" not in future
    today = page_text(client, ENTRIES, date_from=date.today().isoformat(), date_to="2099-01-01")
    assert "湘潭管理员改名公司" in today


def test_export_rows_equal_the_filtered_page_rows(client, logged, auditor):
    client.force_login(auditor)
    # The organizations' changes: the auditor of a top federation also reads the acts nobody
    # made (the factories' own writes).
    organization_type = ContentType.objects.get_for_model(Organization).pk
    params = {"action": LogEntry.Action.UPDATE, "model": organization_type, "q": ""}
    page = client.get(ENTRIES, params)
    page_rows = [(row.entry.object_repr, row.changes_text) for row in page.context["rows"]]

    export = client.get(reverse("exports:export", args=["audit-log"]), params)

    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "时间"
    exported = [(row[6], row[7]) for row in rows[1:]]
    assert exported == page_rows
    assert len(exported) == 3


def test_export_is_logged_as_an_access_event(client, logged, auditor):
    client.force_login(auditor)
    organization_type = ContentType.objects.get_for_model(Organization).pk
    client.get(
        reverse("exports:export", args=["audit-log"]),
        {"action": LogEntry.Action.UPDATE, "model": organization_type},
    )
    event = AccessEvent.objects.get(kind=AccessEventKind.EXPORT)
    assert event.user == auditor
    assert "3" in event.detail


def test_export_keeps_text_that_looks_like_a_formula_as_text(client, world, auditor):
    admin = world["mine"]["admin"]
    rename(admin, world["mine"]["organization"], "=HYPERLINK(1)")
    client.force_login(auditor)
    export = client.get(reverse("exports:export", args=["audit-log"]))
    sheet = load_workbook(BytesIO(export.content)).active
    cell = next(row[6] for row in sheet.iter_rows(min_row=2) if row[6].value == "=HYPERLINK(1)")
    assert cell.data_type == "s"


def count_queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


def test_entry_list_query_count_does_not_grow_with_entries(client, world, auditor):
    admin = world["mine"]["admin"]
    district = world["mine"]["district"]
    unions = [factories.UnionFactory(federation=district) for _ in range(2)]
    organizations = [factories.OrganizationFactory(federation=district) for _ in range(30)]
    client.force_login(auditor)

    def change(organization, number):
        with set_actor(admin, remote_addr="10.1.0.1"):
            org_services.update_organization(
                organization=organization, name=f"改名{number}", union=unions[number % 2]
            )

    change(organizations[0], 0)
    mine = {"q": admin.username}  # the admin's acts only, not the factories' own writes
    client.get(ENTRIES, mine)  # warm caches (content types) before counting
    one = count_queries(client, ENTRIES, **mine)
    for number, organization in enumerate(organizations[1:], start=1):
        change(organization, number)
    thirty = count_queries(client, ENTRIES, **mine)
    assert one == thirty


def test_access_page_shows_own_scope_events_only(client, world, auditor):
    for scope in ("mine", "other"):
        officer = world[scope]["officer"]
        AccessEvent.objects.create(
            kind=AccessEventKind.LOGIN, user=officer, username=officer.username
        )
    client.force_login(auditor)
    text = page_text(client, ACCESS, kind=AccessEventKind.LOGIN)
    assert world["mine"]["officer"].username in text
    assert world["other"]["officer"].username not in text


def test_access_list_query_count_does_not_grow_with_events(client, world, auditor):
    officer = world["mine"]["officer"]
    client.force_login(auditor)
    client.get(ACCESS)
    one = count_queries(client, ACCESS)
    for _ in range(30):
        AccessEvent.objects.create(kind=AccessEventKind.LOGIN, user=officer, username="x")
    assert count_queries(client, ACCESS) == one


def test_access_export_rows_equal_the_filtered_page_rows(client, world, auditor):
    officer = world["mine"]["officer"]
    for kind in (AccessEventKind.LOGIN, AccessEventKind.LOGOUT, AccessEventKind.LOGIN):
        AccessEvent.objects.create(kind=kind, user=officer, username=officer.username)
    client.force_login(auditor)
    params = {"kind": AccessEventKind.LOGIN, "q": officer.username}
    page = client.get(ACCESS, params)
    page_ids = [event.username for event in page.context["page_obj"].object_list]
    export = client.get(reverse("exports:export", args=["access-events"]), params)
    sheet = load_workbook(BytesIO(export.content)).active
    exported = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert exported == page_ids
    assert len(exported) == 2
