"""The job: upload → check (at once or in the background, with progress) → confirm → result;
who sees it; the notification; the accounts created shown once."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests import factories
from zhidao.imports import services
from zhidao.imports.kinds import get_kind
from zhidao.imports.kinds.organizations import OrganizationKindOfImport
from zhidao.imports.models import ImportJob
from zhidao.notifications.models import Notification
from zhidao.orgs.models import Organization
from zhidao.orgs.validators import make_credit_code

from .conftest import org_row, xlsx

KIND = get_kind("organizations")


def rows(n, start=0):
    return [
        org_row(make_credit_code(f"91430302MA4L2{i:04d}"), name=f"湘潭公司{i}")
        for i in range(start, start + n)
    ]


def upload_page(client, user, upload):
    client.force_login(user)
    return client.post(reverse("imports:upload", args=["organizations"]), {"file": upload})


def test_upload_checks_at_once_and_confirm_imports_all(client, tree):
    response = upload_page(client, tree["admin"], xlsx(rows(3)))
    job = ImportJob.objects.unscoped().get()
    assert response.url == reverse("imports:job_detail", args=[job.pk])
    assert (job.status, job.created_count, job.total_rows) == ("checked", 3, 3)
    assert job.file_name == "organizations.xlsx" and job.file.name.startswith("imports/")
    assert job.federation == tree["city"]
    page = client.get(response.url)
    assert "确认导入" in page.content.decode()
    assert not Organization.objects.unscoped().exists()  # nothing before the confirmation
    client.post(reverse("imports:job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done" and job.confirmed_by == tree["admin"]
    assert Organization.objects.unscoped().count() == 3


def test_a_file_with_errors_cannot_be_confirmed_and_says_why(client, tree):
    upload_page(client, tree["admin"], xlsx([*rows(2), org_row("91430302MA4L0AB3X")]))
    job = ImportJob.objects.unscoped().get()
    assert job.error_rows == 1
    page = client.get(reverse("imports:job_detail", args=[job.pk])).content.decode()
    assert "确认导入" not in page
    assert "修正后重新上传" in page
    assert "统一社会信用代码" in page
    client.post(reverse("imports:job_confirm", args=[job.pk]))
    assert not Organization.objects.unscoped().exists()


def test_confirm_re_checks_the_data_changed_since_the_preview(tree):
    job = services.check_upload(actor=tree["admin"], kind=KIND, upload=xlsx(rows(2)))
    taken = rows(1)[0][1]
    factories.OrganizationFactory(credit_code=taken, federation=tree["zhuzhou"])
    job = services.confirm_import(actor=tree["admin"], job=job)
    assert job.status == "checked"
    assert job.error_rows == 1
    assert Organization.objects.unscoped().count() == 1  # only the one made above


@override_settings(IMPORT_SYNC_MAX_ROWS=2)
def test_a_large_file_is_checked_and_imported_in_the_background(
    tree, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(services, "PROGRESS_CHUNK", 2)

    with django_capture_on_commit_callbacks(execute=True):
        job = services.check_upload(actor=tree["admin"], kind=KIND, upload=xlsx(rows(5)))
    job.refresh_from_db()
    assert job.status == "checked"
    assert (job.processed_rows, job.total_rows, job.created_count) == (5, 5, 5)
    assert Notification.objects.filter(
        recipient=tree["admin"], link__endswith=f"/{job.pk}/"
    ).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_import(actor=tree["admin"], job=job)
    job.refresh_from_db()
    assert job.status == "done"
    assert job.processed_rows == job.total_rows == 5
    assert Organization.objects.unscoped().count() == 5
    assert Notification.objects.filter(recipient=tree["admin"]).count() == 2


@override_settings(IMPORT_SYNC_MAX_ROWS=2)
def test_the_progress_endpoint_reports_while_checking(client, tree):
    job = services.check_upload(actor=tree["admin"], kind=KIND, upload=xlsx(rows(5)))
    # (the task waits for the commit, which a test's transaction never makes)
    client.force_login(tree["admin"])
    data = client.get(reverse("imports:job_progress", args=[job.pk])).json()
    assert data["status"] == "checking" and data["running"] is True and data["total"] == 5
    page = client.get(reverse("imports:job_detail", args=[job.pk])).content.decode()
    assert "data-progress-url" in page and "imports/job.js" in page


def test_another_subtree_admin_cannot_see_the_job_and_the_district_admin_can_see_its_own(
    client, tree
):
    job = services.check_upload(actor=tree["yuhu_admin"], kind=KIND, upload=xlsx(rows(1)))
    url = reverse("imports:job_detail", args=[job.pk])
    client.force_login(tree["zhuzhou_admin"])
    assert client.get(url).status_code == 404
    client.force_login(tree["admin"])  # the city's admin sees its district's imports
    assert client.get(url).status_code == 200
    client.force_login(tree["leader"])
    assert client.get(url).status_code == 404
    client.force_login(tree["yuhu_admin"])
    assert client.get(url).status_code == 200
    hub = client.get(reverse("imports:hub")).content.decode()
    assert job.file_name in hub


def test_accounts_created_are_shown_once_and_downloadable_once(client, tree, monkeypatch):
    def apply_with_accounts(self, plans, *, actor):
        return [{"row": 2, "username": "chair01", "password": "Once-Only-42"}]

    monkeypatch.setattr(OrganizationKindOfImport, "apply", apply_with_accounts)
    job = services.check_upload(actor=tree["admin"], kind=KIND, upload=xlsx(rows(1)))
    services.confirm_import(actor=tree["admin"], job=job)
    job.refresh_from_db()
    assert job.sealed_accounts and "Once-Only-42" not in job.sealed_accounts
    client.force_login(tree["admin"])
    url = reverse("imports:job_detail", args=[job.pk])
    assert "Once-Only-42" in client.get(url).content.decode()
    assert "Once-Only-42" not in client.get(url).content.decode()
    job.refresh_from_db()
    assert job.sealed_accounts == ""
    download = reverse("imports:job_accounts", args=[job.pk])
    first = client.get(download)
    assert first.status_code == 200 and first["Content-Type"].startswith("application/vnd")
    assert client.get(download).status_code == 404


def test_the_import_is_in_the_audit_log(tree):
    from auditlog.models import LogEntry

    job = services.check_upload(actor=tree["admin"], kind=KIND, upload=xlsx(rows(1)))
    services.confirm_import(actor=tree["admin"], job=job)
    entries = LogEntry.objects.get_for_object(job)
    created = entries.get(action=LogEntry.Action.CREATE)
    assert created.changes["file_name"][1] == "organizations.xlsx"
    assert created.changes["created_by"][1] == str(tree["admin"].pk)
    assert any("done" in str(entry.changes.get("status")) for entry in entries)


@pytest.mark.parametrize("name", ["hub", "upload"])
def test_the_pages_render_for_an_admin_and_are_refused_to_a_leader(client, tree, name):
    url = (
        reverse("imports:hub")
        if name == "hub"
        else reverse("imports:upload", args=["organizations"])
    )
    client.force_login(tree["admin"])
    page = client.get(url)
    assert page.status_code == 200
    assert "两新组织" in page.content.decode()
    client.force_login(tree["leader"])
    assert client.get(url).status_code == 403


def test_an_unknown_kind_is_a_404(client, tree):
    client.force_login(tree["admin"])
    assert client.get(reverse("imports:upload", args=["planets"])).status_code == 404
