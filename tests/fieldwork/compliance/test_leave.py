"""Leave and official travel: request, approval, rejection, scoping."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.fieldwork.compliance.helpers import leave
from zhidao.fieldwork.compliance import services as compliance_services
from zhidao.fieldwork.models import LeaveRequest, LeaveStatus

pytestmark = pytest.mark.django_db


def test_instructor_requests_leave_and_it_is_pending(client, world):
    mine = world["mine"]
    client.force_login(mine["instructor_user"])
    response = client.post(
        reverse("fieldwork:leave_create"),
        {
            "kind": "official_travel",
            "starts_on": "2026-12-07",
            "ends_on": "2026-12-11",
            "reason": "赴省总工会参加培训",
        },
    )
    request = LeaveRequest.objects.get()
    assert response.status_code == 302
    assert request.status == LeaveStatus.PENDING
    assert request.instructor == mine["instructor"]


def test_leave_form_keeps_values_and_shows_chinese_error_at_the_field(client, world):
    client.force_login(world["mine"]["instructor_user"])
    response = client.post(
        reverse("fieldwork:leave_create"),
        {"kind": "leave", "starts_on": "2026-12-11", "ends_on": "2026-12-07", "reason": "事假"},
    )
    assert response.status_code == 200
    assert "最后一天不能早于第一天" in str(response.context["form"].errors["ends_on"])
    assert 'value="2026-12-11"' in response.content.decode()
    assert not LeaveRequest.objects.exists()


def test_overlapping_request_is_refused(world):
    mine = world["mine"]
    leave(mine["instructor"], date(2026, 12, 7), date(2026, 12, 11), status="pending")
    with pytest.raises(ValidationError) as error:
        compliance_services.request_leave(
            actor=mine["instructor_user"],
            kind="leave",
            starts_on=date(2026, 12, 10),
            ends_on=date(2026, 12, 14),
            reason="事假",
        )
    assert "starts_on" in error.value.message_dict


@pytest.mark.parametrize("role", ["admin", "leader", "officer"])
def test_only_instructors_may_open_the_request_form(client, world, role):
    client.force_login(world["mine"][role])
    assert client.get(reverse("fieldwork:leave_create")).status_code == 403


def test_admin_approves_with_actor_and_time_recorded(client, world):
    mine = world["mine"]
    request = leave(mine["instructor"], date(2026, 12, 7), date(2026, 12, 11), status="pending")
    client.force_login(mine["admin"])
    response = client.post(
        reverse("fieldwork:leave_decide", args=[request.pk]),
        {"decision": "approve", "comment": "同意"},
    )
    request.refresh_from_db()
    assert response.status_code == 302
    assert request.status == LeaveStatus.APPROVED
    assert request.decided_by == mine["admin"]
    assert request.decided_at is not None


def test_rejection_needs_a_comment(client, world):
    mine = world["mine"]
    request = leave(mine["instructor"], date(2026, 12, 7), date(2026, 12, 11), status="pending")
    client.force_login(mine["admin"])
    response = client.post(
        reverse("fieldwork:leave_decide", args=[request.pk]), {"decision": "reject", "comment": ""}
    )
    request.refresh_from_db()
    assert response.status_code == 200
    assert request.status == LeaveStatus.PENDING
    assert "请说明驳回的理由" in response.content.decode()


def test_a_decided_request_cannot_be_decided_again(world):
    mine = world["mine"]
    request = leave(mine["instructor"], date(2026, 12, 7), date(2026, 12, 11), status="rejected")
    with pytest.raises(ValidationError):
        compliance_services.approve_leave(actor=mine["admin"], leave=request)
    request.refresh_from_db()
    assert request.status == LeaveStatus.REJECTED


@pytest.mark.parametrize("role", ["leader", "instructor_user", "officer"])
def test_non_admins_cannot_decide(client, world, role):
    mine = world["mine"]
    request = leave(mine["instructor"], date(2026, 12, 7), date(2026, 12, 11), status="pending")
    client.force_login(mine[role])
    response = client.post(
        reverse("fieldwork:leave_decide", args=[request.pk]), {"decision": "approve"}
    )
    # The leader and the instructor see the request; the union's officer does not.
    assert response.status_code == (404 if role == "officer" else 403)
    request.refresh_from_db()
    assert request.status == LeaveStatus.PENDING


def test_other_federations_admin_gets_404_on_the_request(client, world):
    mine = world["mine"]
    request = leave(mine["instructor"], date(2026, 12, 7), date(2026, 12, 11), status="pending")
    client.force_login(world["other"]["admin"])
    assert client.get(reverse("fieldwork:leave_detail", args=[request.pk])).status_code == 404
    assert (
        client.post(
            reverse("fieldwork:leave_decide", args=[request.pk]), {"decision": "approve"}
        ).status_code
        == 404
    )


def test_instructor_sees_only_own_requests(client, world):
    leave(world["mine"]["instructor"], date(2026, 12, 7), date(2026, 12, 11))
    leave(world["other"]["instructor"], date(2026, 12, 7), date(2026, 12, 11))
    client.force_login(world["mine"]["instructor_user"])
    page = client.get(reverse("fieldwork:leave_list")).context["page_obj"]
    assert [request.instructor.name for request in page] == ["湘潭指导员"]


def test_admin_list_shows_the_subtree_with_a_fixed_number_of_queries(
    client, world, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    mine = world["mine"]
    client.force_login(mine["admin"])
    leave(mine["instructor"], date(2026, 1, 5), date(2026, 1, 9))
    client.get(reverse("fieldwork:leave_list"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("fieldwork:leave_list"))
    for week in range(2, 30):
        monday = date.fromisocalendar(2026, week, 1)
        leave(mine["instructor"], monday, monday.replace(day=monday.day), status="rejected")
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("fieldwork:leave_list"))
    assert len(response.context["page_obj"].object_list) == 25
    assert len(many) == len(one)
