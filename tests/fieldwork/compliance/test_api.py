"""Compliance and leave in the REST API: scoped like the pages."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from tests.fieldwork.compliance.helpers import leave, on_site_day
from zhidao.fieldwork.models import LeaveStatus

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_compliance_grid_lists_own_scope_with_week_states(world):
    on_site_day(world["mine"]["assignment"], date(2026, 11, 17))
    response = api(world["mine"]["leader"]).get("/api/compliance/", {"weeks": 4})
    assert response.status_code == 200
    assert [week["key"] for week in response.data["weeks"]][-1] == "2026-W48"
    rows = response.data["rows"]
    assert [row["instructor_name"] for row in rows] == ["湘潭指导员"]
    assert [cell["state"] for cell in rows[0]["cells"]][-2:] == ["met", "pending"]


def test_compliance_with_another_federations_filter_is_refused(world):
    response = api(world["mine"]["leader"]).get(
        "/api/compliance/", {"federation": world["other"]["city"].pk}
    )
    assert response.status_code == 400


def test_instructor_creates_leave_and_admin_approves_it(world):
    mine = world["mine"]
    created = api(mine["instructor_user"]).post(
        "/api/leave-requests/",
        {"kind": "leave", "starts_on": "2026-12-07", "ends_on": "2026-12-11", "reason": "病假"},
        format="json",
    )
    assert created.status_code == 201
    assert created.data["status"] == LeaveStatus.PENDING
    approved = api(mine["admin"]).post(
        f"/api/leave-requests/{created.data['id']}/approve/", {}, format="json"
    )
    assert approved.status_code == 200
    assert approved.data["status"] == LeaveStatus.APPROVED


def test_reject_without_comment_is_a_400_at_the_field(world):
    mine = world["mine"]
    request = leave(mine["instructor"], date(2026, 12, 7), date(2026, 12, 11), status="pending")
    response = api(mine["admin"]).post(f"/api/leave-requests/{request.pk}/reject/", {})
    assert response.status_code == 400
    assert "comment" in response.data


def test_other_federations_leave_is_404(world):
    request = leave(world["other"]["instructor"], date(2026, 12, 7), date(2026, 12, 11))
    client = api(world["mine"]["admin"])
    assert client.get(f"/api/leave-requests/{request.pk}/").status_code == 404
    assert client.post(f"/api/leave-requests/{request.pk}/approve/", {}).status_code == 404


def test_leader_cannot_approve_leave(world):
    mine = world["mine"]
    request = leave(mine["instructor"], date(2026, 12, 7), date(2026, 12, 11), status="pending")
    assert api(mine["leader"]).post(f"/api/leave-requests/{request.pk}/approve/").status_code == 403


def test_admin_cannot_create_leave(world):
    response = api(world["mine"]["admin"]).post(
        "/api/leave-requests/",
        {"kind": "leave", "starts_on": "2026-12-07", "ends_on": "2026-12-11", "reason": "x"},
    )
    assert response.status_code == 403
