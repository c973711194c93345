"""Transitions by the right role, wrong states refused, events recorded; escalation once per
missed deadline; automatic closing after 7 days; the list's query budget."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.appeals.staff.conftest import make_appeal
from zhidao.appeals import services
from zhidao.appeals.models import AppealEventKind, AppealState, EscalationReason
from zhidao.notifications.models import Notification, NotificationKind

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_instructor_accepts_answers_and_resolves_with_events_for_the_submitter(world, named_appeal):
    instructor_user = world["mine"]["instructor_user"]

    services.accept_appeal(appeal=named_appeal, actor=instructor_user, note="电话核实")
    services.start_work(appeal=named_appeal, actor=instructor_user)
    services.answer(appeal=named_appeal, actor=instructor_user, text="已联系企业财务核对工资。")
    appeal = services.resolve_appeal(
        appeal=named_appeal, actor=instructor_user, resolution="企业已补发拖欠工资。"
    )

    assert appeal.state == AppealState.RESOLVED
    assert appeal.assigned_instructor == world["mine"]["instructor"]
    assert appeal.first_answered_at is not None and appeal.resolved_at is not None
    events = list(appeal.events.order_by("at", "id"))
    assert [event.kind for event in events] == [
        AppealEventKind.SUBMITTED,
        AppealEventKind.ACCEPTED,
        AppealEventKind.STARTED,
        AppealEventKind.ANSWERED,
        AppealEventKind.RESOLVED,
    ]
    assert events[1].actor == instructor_user and "电话核实" in events[1].internal_note
    staff_name = world["mine"]["instructor"].name
    assert all(event.public_text and staff_name not in event.public_text for event in events)


def test_accept_by_default_assigns_the_current_instructor_and_a_department_on_request(
    world, named_appeal
):
    other = make_appeal(world["mine"]["organization"], anonymous=True)

    services.accept_appeal(appeal=named_appeal, actor=world["mine"]["admin"])
    services.accept_appeal(appeal=other, actor=world["mine"]["admin"], department="权益保障部")

    named_appeal.refresh_from_db()
    other.refresh_from_db()
    assert named_appeal.assigned_instructor == world["mine"]["instructor"]
    assert other.assigned_instructor is None and other.assigned_department == "权益保障部"


@pytest.mark.parametrize("role", ["leader", "officer"])
def test_leaders_and_union_officers_cannot_accept(world, named_appeal, role):
    with pytest.raises(PermissionDenied):
        services.accept_appeal(appeal=named_appeal, actor=world["mine"][role])


def test_another_federation_admin_cannot_accept(world, named_appeal):
    with pytest.raises(PermissionDenied):
        services.accept_appeal(appeal=named_appeal, actor=world["other"]["admin"])


def test_resolving_a_received_appeal_is_refused(world, named_appeal):
    with pytest.raises(ValidationError):
        services.resolve_appeal(
            appeal=named_appeal, actor=world["mine"]["admin"], resolution="已处理"
        )


def test_accepting_twice_is_refused(world, named_appeal):
    services.accept_appeal(appeal=named_appeal, actor=world["mine"]["admin"])

    with pytest.raises(ValidationError):
        services.accept_appeal(appeal=named_appeal, actor=world["mine"]["admin"])


def test_reject_tells_the_submitter_why_and_where_to_go(world, named_appeal):
    appeal = services.reject_appeal(
        appeal=named_appeal,
        actor=world["mine"]["admin"],
        reason="属于劳动争议仲裁事项",
        referral="雨湖区劳动人事争议仲裁委员会",
    )

    assert appeal.state == AppealState.REJECTED
    event = appeal.events.get(kind=AppealEventKind.REJECTED)
    assert "雨湖区劳动人事争议仲裁委员会" in event.public_text


def test_reject_without_referral_is_an_error_at_the_field(world, named_appeal):
    with pytest.raises(ValidationError) as error:
        services.reject_appeal(
            appeal=named_appeal, actor=world["mine"]["admin"], reason="不属于", referral=""
        )

    assert "referral" in error.value.message_dict


def test_submitter_rating_closes_a_resolved_appeal(world, named_appeal):
    services.accept_appeal(appeal=named_appeal, actor=world["mine"]["admin"])
    services.resolve_appeal(
        appeal=named_appeal, actor=world["mine"]["instructor_user"], resolution="已补发"
    )

    appeal = services.close_with_rating(appeal=named_appeal, satisfaction=5, comment="感谢")

    assert appeal.state == AppealState.CLOSED and appeal.satisfaction == 5


def test_resolved_appeal_closes_itself_after_seven_days_not_before(world, named_appeal):
    services.accept_appeal(appeal=named_appeal, actor=world["mine"]["admin"])
    appeal = services.resolve_appeal(
        appeal=named_appeal, actor=world["mine"]["instructor_user"], resolution="已补发"
    )

    assert services.close_resolved_appeals(appeal.resolved_at + timedelta(days=6)) == 0
    assert services.close_resolved_appeals(appeal.resolved_at + timedelta(days=7)) == 1

    appeal.refresh_from_db()
    assert appeal.state == AppealState.CLOSED and appeal.closed_automatically
    assert appeal.events.filter(kind=AppealEventKind.CLOSED, actor=None).exists()


def test_escalation_fires_once_per_missed_deadline(
    world, named_appeal, rights_staff, django_capture_on_commit_callbacks
):
    # Received Wednesday 25 November; accept by Thursday 26, so Friday 27 is past it.
    friday = datetime(2026, 11, 27, 9, 0, tzinfo=SHANGHAI)

    with django_capture_on_commit_callbacks(execute=True):
        first = services.escalate_overdue_appeals(friday)
        second = services.escalate_overdue_appeals(friday + timedelta(hours=1))

    assert (first, second) == (1, 0)
    named_appeal.refresh_from_db()
    assert named_appeal.escalation_level == 1
    assert named_appeal.escalation_reason == EscalationReason.ACCEPT_OVERDUE
    assert named_appeal.events.filter(kind=AppealEventKind.ESCALATED).count() == 1
    notification = Notification.objects.get(recipient=rights_staff)
    assert notification.kind == NotificationKind.APPEAL_ESCALATED
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["rights@example.org"]
    assert "王小明" not in mail.outbox[0].body


def test_a_later_missed_deadline_escalates_again(world, named_appeal):
    services.escalate_overdue_appeals(datetime(2026, 11, 27, 9, 0, tzinfo=SHANGHAI))
    # First answer by Monday 30 November: Tuesday 1 December is past it.
    later = datetime(2026, 12, 1, 9, 0, tzinfo=SHANGHAI)

    assert services.escalate_overdue_appeals(later) == 1
    assert services.escalate_overdue_appeals(later) == 0
    named_appeal.refresh_from_db()
    assert named_appeal.escalation_level == 2
    assert named_appeal.escalation_reason == EscalationReason.ANSWER_OVERDUE


def test_an_appeal_on_time_does_not_escalate(world, named_appeal):
    assert services.escalate_overdue_appeals(datetime(2026, 11, 26, 18, 0, tzinfo=SHANGHAI)) == 0


def test_escalation_notifies_the_assigned_handler(world, named_appeal):
    services.accept_appeal(appeal=named_appeal, actor=world["mine"]["admin"])

    services.escalate_overdue_appeals(datetime(2026, 12, 1, 9, 0, tzinfo=SHANGHAI))

    assert Notification.objects.filter(recipient=world["mine"]["instructor_user"]).exists()


def test_appeals_tick_command_escalates_and_closes(world, named_appeal, _today):
    _today.move_to("2026-12-01 09:00 +0800")

    call_command("appeals_tick")

    named_appeal.refresh_from_db()
    assert named_appeal.is_escalated


def _list_queries(client, user) -> int:
    client.force_login(user)
    client.get("/appeals/")  # warm the session and the scope
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/appeals/")
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["admin", "instructor_user", "officer"])
def test_list_queries_do_not_grow_with_rows(client, world, role):
    organization = world["mine"]["organization"]
    make_appeal(organization)
    one = _list_queries(client, world["mine"][role])
    for _index in range(29):
        make_appeal(organization, anonymous=True)

    assert _list_queries(client, world["mine"][role]) == one


def test_stats_page_counts_by_category(client, world, django_capture_on_commit_callbacks):
    # Committed writes: their summary rows are refreshed (the page reads them, unfiltered).
    with django_capture_on_commit_callbacks(execute=True):
        make_appeal(world["mine"]["organization"])
        make_appeal(world["mine"]["organization"], anonymous=True, category="social_insurance")
    client.force_login(world["mine"]["admin"])

    response = client.get("/appeals/stats/")

    assert response.status_code == 200
    stats = response.context["stats"]
    assert stats.total == 2
    assert {row["category"]: row["count"] for row in stats.by_category} == {
        "wages": 1,
        "social_insurance": 1,
    }


def test_page_action_by_a_role_that_only_sees_the_appeal_is_403(client, world, named_appeal):
    client.force_login(world["mine"]["officer"])

    response = client.post(f"/appeals/{named_appeal.pk}/accept/", {})

    assert response.status_code == 403


def test_page_accept_then_resolve(client, world, named_appeal):
    client.force_login(world["mine"]["instructor_user"])

    client.post(f"/appeals/{named_appeal.pk}/accept/", {"note": ""})
    response = client.post(
        f"/appeals/{named_appeal.pk}/resolve/", {"resolution": "企业已补发。", "note": ""}
    )

    assert response.status_code == 302
    named_appeal.refresh_from_db()
    assert named_appeal.state == AppealState.RESOLVED


def test_page_resolve_without_answer_shows_the_error_and_keeps_the_note(
    client, world, named_appeal
):
    services.accept_appeal(appeal=named_appeal, actor=world["mine"]["admin"])
    client.force_login(world["mine"]["instructor_user"])

    response = client.post(
        f"/appeals/{named_appeal.pk}/resolve/", {"resolution": "", "note": "备注保留"}
    )

    assert response.status_code == 400
    assert "备注保留" in response.content.decode()


def test_api_transitions_and_wrong_state(client, world, named_appeal):
    client.force_login(world["mine"]["admin"])

    accepted = client.post(f"/api/appeals/{named_appeal.pk}/accept/", {}, "application/json")
    again = client.post(f"/api/appeals/{named_appeal.pk}/accept/", {}, "application/json")

    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    assert again.status_code == 400
