"""The offline queue's sync endpoints: one record per client UUID however often it arrives,
the server's refusal in Chinese at its field, scoping and login/CSRF."""

import json
import uuid
from datetime import date

import pytest
from django.urls import reverse

from zhidao.dispatch import services as dispatch_services
from zhidao.fieldwork.models import OnSiteDay, WorkRecord

from .conftest import check_in, client_for, place

pytestmark = pytest.mark.django_db


def record_fields(world, client_uuid, **extra):
    return {
        "client_uuid": str(client_uuid),
        "place": place(world),
        "duty": "investigation",
        "worked_on": "2026-11-25",
        "participants": "工会主席",
        "content": "走访车间，了解职工诉求",
        **extra,
    }


def test_check_in_sent_three_times_stores_one_day(world):
    client = client_for(world["mine"]["instructor_user"])
    client_uuid = uuid.uuid4()
    fields = {"client_uuid": str(client_uuid), "place": place(world), "summary": "座谈"}
    answers = [client.post(reverse("fieldwork:sync_check_in"), fields) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 200, 200]
    assert len({a.json()["id"] for a in answers}) == 1
    assert OnSiteDay.objects.filter(client_uuid=client_uuid).count() == 1
    assert OnSiteDay.objects.count() == 1


def test_check_in_accepts_a_json_body_with_the_form_field_names(world):
    client = client_for(world["mine"]["instructor_user"])
    body = {
        "client_uuid": str(uuid.uuid4()),
        "assignment": world["mine"]["assignment"].pk,
        "organization": world["mine"]["organization"].pk,
        "checked_in_at": "2026-11-25T01:30:00Z",
    }
    answer = client.post(
        reverse("fieldwork:sync_check_in"), json.dumps(body), content_type="application/json"
    )
    assert answer.status_code == 201
    day = OnSiteDay.objects.get(pk=answer.json()["id"])
    # the time the instructor pressed the button offline, not the time the queue arrived
    assert day.checked_in_at.isoformat() == "2026-11-25T01:30:00+00:00"


def test_work_record_sent_three_times_stores_one_record(world):
    client = client_for(world["mine"]["instructor_user"])
    client_uuid = uuid.uuid4()
    answers = [
        client.post(reverse("fieldwork:sync_work_record"), record_fields(world, client_uuid))
        for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [201, 200, 200]
    assert len({a.json()["id"] for a in answers}) == 1
    assert WorkRecord.objects.filter(client_uuid=client_uuid).count() == 1


def test_work_record_with_only_the_organization_finds_the_assignment(world):
    client = client_for(world["mine"]["instructor_user"])
    fields = record_fields(world, uuid.uuid4())
    del fields["place"]
    fields["organization"] = world["mine"]["organization"].pk
    answer = client.post(reverse("fieldwork:sync_work_record"), fields)
    assert answer.status_code == 201
    record = WorkRecord.objects.get(pk=answer.json()["id"])
    assert record.assignment == world["mine"]["assignment"]


def test_check_out_sent_three_times_keeps_the_first_time(world, time_machine):
    day = check_in(world)
    client = client_for(world["mine"]["instructor_user"])
    url = reverse("fieldwork:sync_check_out")
    first = client.post(url, {"client_uuid": str(day.client_uuid), "summary": "完成走访"})
    time_machine.shift(600)
    repeats = [client.post(url, {"client_uuid": str(day.client_uuid)}) for _ in range(2)]
    assert first.status_code == 201
    assert [r.status_code for r in repeats] == [200, 200]
    assert {r.json()["id"] for r in [first, *repeats]} == {day.pk}
    day.refresh_from_db()
    assert day.checked_out_at.hour == 2  # 10:00 Shanghai, not the later repeats
    assert day.summary == "完成走访"


def test_rejected_work_record_answers_400_with_the_chinese_message_at_the_field(world):
    assignment = world["mine"]["assignment"]
    dispatch_services.end_assignment_early(
        assignment=assignment, ended_on=date(2026, 11, 1), reason="调离"
    )
    client = client_for(world["mine"]["instructor_user"])
    fields = record_fields(world, uuid.uuid4())
    answer = client.post(reverse("fieldwork:sync_work_record"), fields)
    assert answer.status_code == 400
    errors = answer.json()["errors"]
    assert "assignment" in errors
    assert "派驻" in errors["assignment"][0]
    assert WorkRecord.objects.count() == 0


def test_check_in_at_an_organization_outside_the_assignment_is_refused_at_the_field(world):
    client = client_for(world["mine"]["instructor_user"])
    fields = {
        "client_uuid": str(uuid.uuid4()),
        "assignment": world["mine"]["assignment"].pk,
        "organization": world["other"]["organization"].pk,
    }
    answer = client.post(reverse("fieldwork:sync_check_in"), fields)
    assert answer.status_code == 400
    assert answer.json()["errors"]["organization"]
    assert OnSiteDay.objects.count() == 0


def test_missing_content_is_refused_in_chinese(world):
    client = client_for(world["mine"]["instructor_user"])
    fields = record_fields(world, uuid.uuid4(), content="")
    answer = client.post(reverse("fieldwork:sync_work_record"), fields)
    assert answer.status_code == 400
    assert answer.json()["errors"]["content"] == ["该字段是必填项。"]


def test_check_in_time_in_the_future_is_refused(world):
    client = client_for(world["mine"]["instructor_user"])
    fields = {
        "client_uuid": str(uuid.uuid4()),
        "place": place(world),
        "checked_in_at": "2026-11-26T10:00:00+08:00",
    }
    answer = client.post(reverse("fieldwork:sync_check_in"), fields)
    assert answer.status_code == 400
    assert "checked_in_at" in answer.json()["errors"]


def test_check_out_of_another_scopes_day_is_404(world):
    day = check_in(world, "other")
    client = client_for(world["mine"]["instructor_user"])
    answer = client.post(reverse("fieldwork:sync_check_out"), {"client_uuid": str(day.client_uuid)})
    assert answer.status_code == 404
    day.refresh_from_db()
    assert day.checked_out_at is None


def test_work_record_on_another_scopes_day_is_404(world):
    day = check_in(world, "other")
    client = client_for(world["mine"]["instructor_user"])
    fields = record_fields(world, uuid.uuid4(), on_site_day=day.pk)
    answer = client.post(reverse("fieldwork:sync_work_record"), fields)
    assert answer.status_code == 404
    assert WorkRecord.objects.count() == 0


@pytest.mark.parametrize("name", ["sync_check_in", "sync_check_out", "sync_work_record"])
def test_anonymous_sync_is_403_with_a_login_hint(client, world, name):
    answer = client.post(reverse(f"fieldwork:{name}"), {"client_uuid": str(uuid.uuid4())})
    assert answer.status_code == 403
    assert answer.json()["login"] is True
    assert OnSiteDay.objects.count() == 0
    assert WorkRecord.objects.count() == 0


def test_sync_without_csrf_token_is_refused(world):
    client = client_for(world["mine"]["instructor_user"], enforce_csrf=True)
    answer = client.post(reverse("fieldwork:sync_work_record"), record_fields(world, uuid.uuid4()))
    assert answer.status_code == 403
    assert WorkRecord.objects.count() == 0


def test_sync_with_the_csrf_cookie_token_in_the_header_is_accepted(world):
    client = client_for(world["mine"]["instructor_user"], enforce_csrf=True)
    client.get(reverse("fieldwork:offline_queue"))  # sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    answer = client.post(
        reverse("fieldwork:sync_work_record"),
        record_fields(world, uuid.uuid4()),
        headers={"X-CSRFToken": token},
    )
    assert answer.status_code == 201


def test_submission_queued_by_another_user_waits_for_that_user(world):
    client = client_for(world["mine"]["instructor_user"])
    answer = client.post(
        reverse("fieldwork:sync_work_record"),
        record_fields(world, uuid.uuid4()),
        headers={"X-Zhidao-User": str(world["other"]["instructor_user"].pk)},
    )
    assert answer.status_code == 403
    assert answer.json()["login"] is True
    assert WorkRecord.objects.count() == 0


def test_sync_endpoints_refuse_get(world):
    client = client_for(world["mine"]["instructor_user"])
    assert client.get(reverse("fieldwork:sync_check_in")).status_code == 405


def test_check_in_keeps_the_browsers_coordinates_to_six_decimals(world):
    client = client_for(world["mine"]["instructor_user"])
    fields = {
        "client_uuid": str(uuid.uuid4()),
        "place": place(world),
        "latitude": "27.82973012345",
        "longitude": "112.94405098765",
        "accuracy_m": "15",
    }
    answer = client.post(reverse("fieldwork:sync_check_in"), fields)
    assert answer.status_code == 201
    day = OnSiteDay.objects.get(pk=answer.json()["id"])
    assert str(day.latitude) == "27.829730"
    assert day.accuracy_m == 15
