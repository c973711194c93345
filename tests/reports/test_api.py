from io import BytesIO

import pytest
from docx import Document
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from zhidao.audit.models import AccessEvent, AccessEventKind
from zhidao.reports.models import QuarterlyReport, ReportStatus

pytestmark = pytest.mark.django_db

URL = "/api/quarterly-reports/"


def api(user) -> APIClient:
    token, _created = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _draft(mine):
    response = api(mine["instructor_user"]).post(
        f"{URL}draft/",
        {"assignment": mine["assignment"].pk, "year": 2026, "quarter": 3},
        format="json",
    )
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def test_instructor_drafts_fills_and_submits_then_admin_returns_and_approves(q3_records):
    mine = q3_records
    pk = _draft(mine)
    instructor = api(mine["instructor_user"])
    early = instructor.post(f"{URL}{pk}/submit/")
    assert early.status_code == 400
    assert "work_done" in early.json()
    narrative = {"work_done": "走访调研", "problems": "参与度不高", "next_plan": "召开职代会"}
    assert instructor.post(f"{URL}{pk}/narrative/", narrative, format="json").status_code == 200
    submitted = instructor.post(f"{URL}{pk}/submit/").json()
    assert submitted["status"] == "submitted"
    assert submitted["figures"]["counts"]["on_site_days"] == 4
    admin = api(mine["admin"])
    assert admin.post(f"{URL}{pk}/return/", {"comment": ""}, format="json").status_code == 400
    returned = admin.post(f"{URL}{pk}/return/", {"comment": "请补充"}, format="json").json()
    assert returned["status"] == "returned"
    instructor.post(f"{URL}{pk}/submit/")
    approved = admin.post(f"{URL}{pk}/approve/", {}, format="json").json()
    assert approved["status"] == ReportStatus.APPROVED
    assert [t["to_status"] for t in approved["transitions"]] == [
        "draft",
        "submitted",
        "returned",
        "submitted",
        "approved",
    ]
    again = admin.post(f"{URL}{pk}/approve/", {}, format="json")
    assert again.status_code == 400


def test_leader_cannot_approve_through_the_api(world):
    pk = _draft(world["mine"])
    report = QuarterlyReport.objects.get(pk=pk)
    report.status = ReportStatus.SUBMITTED
    report.save()
    response = api(world["mine"]["leader"]).post(f"{URL}{pk}/approve/", {}, format="json")
    assert response.status_code == 403


def test_other_scope_gets_404_and_an_empty_list(world):
    pk = _draft(world["mine"])
    other = api(world["other"]["admin"])
    assert other.get(f"{URL}{pk}/").status_code == 404
    assert other.post(f"{URL}{pk}/approve/", {}, format="json").status_code == 404
    assert other.get(URL).json()["results"] == []
    assert api(world["mine"]["leader"]).get(URL).json()["results"][0]["id"] == pk


def test_download_returns_the_docx(world):
    pk = _draft(world["mine"])
    response = api(world["mine"]["admin"]).get(f"{URL}{pk}/download/")
    assert response.status_code == 200
    document = Document(BytesIO(response.content))
    assert document.paragraphs[0].text.endswith("2026年第三季度工作报告")


def test_the_api_docx_is_audited_as_an_export_by_the_token_user(world):
    pk = _draft(world["mine"])
    admin = world["mine"]["admin"]
    assert api(admin).get(f"{URL}{pk}/download/").status_code == 200
    export = AccessEvent.objects.get(kind=AccessEventKind.EXPORT)
    assert (export.user, export.username) == (admin, admin.username)
