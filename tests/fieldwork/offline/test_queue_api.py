"""The phone's offline queue sends to the REST API like every other client: one record per
client UUID however often it arrives, the server's refusal in Chinese at its field, one input
contract (the future, the term, coordinates) for the page, the API and the queue, scoping of the
idempotency key, and login/CSRF."""

import io
import json
import threading
import uuid
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.urls import reverse
from PIL import Image

from zhidao.dispatch import services as dispatch_services
from zhidao.fieldwork.models import OnSiteDay, WorkRecord

from .conftest import check_in, client_for, place

pytestmark = pytest.mark.django_db

CHECK_IN = "api:on-site-day-list"
CHECK_OUT = "api:on-site-day-check-out-by-key"
WORK_RECORD = "api:work-record-list"


def record_fields(world, client_uuid, **extra):
    return {
        "client_uuid": str(client_uuid),
        "organization": world["mine"]["organization"].pk,
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
    answers = [client.post(reverse(CHECK_IN), fields) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 200, 200]
    assert len({a.json()["id"] for a in answers}) == 1
    assert answers[0].json()["url"] == reverse(
        "fieldwork:on_site_day_detail", args=[answers[0].json()["id"]]
    )
    assert OnSiteDay.objects.unscoped().filter(client_uuid=client_uuid).count() == 1
    assert OnSiteDay.objects.unscoped().count() == 1


def test_check_in_as_json_keeps_the_time_the_button_was_pressed(world):
    client = client_for(world["mine"]["instructor_user"])
    body = {
        "client_uuid": str(uuid.uuid4()),
        "assignment": world["mine"]["assignment"].pk,
        "organization": world["mine"]["organization"].pk,
        "checked_in_at": "2026-11-25T01:30:00Z",
    }
    answer = client.post(reverse(CHECK_IN), json.dumps(body), content_type="application/json")
    assert answer.status_code == 201
    day = OnSiteDay.objects.unscoped().get(pk=answer.json()["id"])
    # the time the instructor pressed the button offline, not the time the queue arrived
    assert day.checked_in_at.isoformat() == "2026-11-25T01:30:00+00:00"


def test_work_record_sent_three_times_stores_one_record(world):
    client = client_for(world["mine"]["instructor_user"])
    client_uuid = uuid.uuid4()
    answers = [
        client.post(reverse(WORK_RECORD), record_fields(world, client_uuid)) for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [201, 200, 200]
    assert len({a.json()["id"] for a in answers}) == 1
    assert WorkRecord.objects.unscoped().filter(client_uuid=client_uuid).count() == 1


def test_work_record_with_only_the_organization_finds_the_assignment(world):
    client = client_for(world["mine"]["instructor_user"])
    answer = client.post(reverse(WORK_RECORD), record_fields(world, uuid.uuid4()))
    assert answer.status_code == 201
    record = WorkRecord.objects.unscoped().get(pk=answer.json()["id"])
    assert record.assignment == world["mine"]["assignment"]


def test_check_out_sent_three_times_keeps_the_first_time(world, time_machine):
    day = check_in(world)
    client = client_for(world["mine"]["instructor_user"])
    url = reverse(CHECK_OUT)
    first = client.post(url, {"client_uuid": str(day.client_uuid), "summary": "完成走访"})
    time_machine.shift(600)
    repeats = [client.post(url, {"client_uuid": str(day.client_uuid)}) for _ in range(2)]
    assert [r.status_code for r in [first, *repeats]] == [200, 200, 200]
    assert {r.json()["id"] for r in [first, *repeats]} == {day.pk}
    day.refresh_from_db()
    assert day.checked_out_at.hour == 2  # 10:00 Shanghai, not the later repeats
    assert day.summary == "完成走访"


def jpeg(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 40, 40)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_check_out_repeated_after_a_lost_answer_stores_its_photos_once(world):
    day = check_in(world)
    client = client_for(world["mine"]["instructor_user"])
    submission = str(uuid.uuid4())
    answers = [
        client.post(
            reverse(CHECK_OUT),
            {
                "client_uuid": str(day.client_uuid),
                "submission_uuid": submission,
                "summary": "完成走访",
                "photos": [jpeg("车间.jpg")],
            },
        )
        for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [a.json()["photo_count"] for a in answers] == [1, 1, 1]
    assert day.photos.count() == 1


def test_a_check_out_and_a_later_edit_of_the_same_day_both_keep_their_photos(world):
    # Queued offline one after the other: each has its own key, so neither replaces the other.
    day = check_in(world)
    client = client_for(world["mine"]["instructor_user"])
    first, edit = str(uuid.uuid4()), str(uuid.uuid4())
    for submission, summary, photo in [(first, "走访", "a.jpg"), (edit, "走访并座谈", "b.jpg")]:
        answer = client.post(
            reverse(CHECK_OUT),
            {
                "client_uuid": str(day.client_uuid),
                "submission_uuid": submission,
                "summary": summary,
                "photos": [jpeg(photo)],
            },
        )
        assert answer.status_code == 200
    day.refresh_from_db()
    assert day.summary == "走访并座谈"
    assert day.photos.count() == 2
    assert {str(key) for key in day.photos.values_list("submission_uuid", flat=True)} == {
        first,
        edit,
    }


def test_rejected_work_record_answers_400_with_the_chinese_message_at_the_field(world):
    assignment = world["mine"]["assignment"]
    dispatch_services.end_assignment_early(
        assignment=assignment, ended_on=date(2026, 11, 1), reason="调离"
    )
    client = client_for(world["mine"]["instructor_user"])
    answer = client.post(
        reverse(WORK_RECORD), record_fields(world, uuid.uuid4(), assignment=assignment.pk)
    )
    assert answer.status_code == 400
    assert "派驻" in answer.json()["assignment"][0]
    assert WorkRecord.objects.unscoped().count() == 0


def test_check_in_at_an_organization_outside_the_assignment_is_refused_at_the_field(world):
    client = client_for(world["mine"]["instructor_user"])
    fields = {
        "client_uuid": str(uuid.uuid4()),
        "assignment": world["mine"]["assignment"].pk,
        "organization": world["other"]["organization"].pk,
    }
    answer = client.post(reverse(CHECK_IN), fields)
    assert answer.status_code == 400
    assert answer.json()["organization"]
    assert OnSiteDay.objects.unscoped().count() == 0


def test_a_malformed_place_is_refused_in_chinese(world):
    client = client_for(world["mine"]["instructor_user"])
    answer = client.post(reverse(CHECK_IN), {"client_uuid": str(uuid.uuid4()), "place": "x:1"})
    assert answer.status_code == 400
    assert answer.json()["place"] == ["请从列表中选择驻点单位。"]


def test_missing_content_is_refused_in_chinese(world):
    client = client_for(world["mine"]["instructor_user"])
    answer = client.post(reverse(WORK_RECORD), record_fields(world, uuid.uuid4(), content=""))
    assert answer.status_code == 400
    assert answer.json()["content"] == ["该字段不能为空。"]


@pytest.mark.parametrize("body", ["json", "form"])
def test_check_in_in_the_future_is_refused_on_every_path(world, body):
    """The independent check found the API accepting a future check-in: it is the service's
    rule now, so the page's form and the API's JSON are refused alike."""
    client = client_for(world["mine"]["instructor_user"])
    fields = {
        "client_uuid": str(uuid.uuid4()),
        "place": place(world),
        "checked_in_at": "2026-11-26T10:00:00+08:00",
    }
    if body == "json":
        answer = client.post(reverse(CHECK_IN), json.dumps(fields), content_type="application/json")
    else:
        answer = client.post(reverse(CHECK_IN), fields)
    assert answer.status_code == 400
    assert answer.json()["checked_in_at"] == ["时间不能晚于现在。"]
    assert OnSiteDay.objects.unscoped().count() == 0


def test_a_phone_clock_a_few_minutes_fast_is_accepted(world):
    client = client_for(world["mine"]["instructor_user"])
    fields = {
        "client_uuid": str(uuid.uuid4()),
        "place": place(world),
        "checked_in_at": "2026-11-25T10:05:00+08:00",
    }
    assert client.post(reverse(CHECK_IN), fields).status_code == 201


def test_check_out_in_the_future_is_refused(world):
    day = check_in(world)
    client = client_for(world["mine"]["instructor_user"])
    answer = client.post(
        reverse("api:on-site-day-check-out", args=[day.pk]),
        {"checked_out_at": "2026-11-25T18:00:00+08:00"},
    )
    assert answer.status_code == 400
    assert "checked_out_at" in answer.json()
    day.refresh_from_db()
    assert day.checked_out_at is None


def test_check_out_of_another_scopes_day_is_404(world):
    day = check_in(world, "other")
    client = client_for(world["mine"]["instructor_user"])
    answer = client.post(reverse(CHECK_OUT), {"client_uuid": str(day.client_uuid)})
    assert answer.status_code == 404
    day.refresh_from_db()
    assert day.checked_out_at is None


def test_another_instructors_key_is_refused_without_showing_their_day(world):
    """Idempotency keys are per instructor: someone else's UUID neither returns their day (a
    leak) nor fails with a server error."""
    theirs = check_in(world, "other")
    client = client_for(world["mine"]["instructor_user"])
    fields = {"client_uuid": str(theirs.client_uuid), "place": place(world)}
    answer = client.post(reverse(CHECK_IN), fields)
    assert answer.status_code == 400
    assert list(answer.json()) == ["client_uuid"]
    assert str(theirs.pk) not in answer.content.decode()
    assert OnSiteDay.objects.unscoped().count() == 1

    records = client_for(world["other"]["instructor_user"])
    key = uuid.uuid4()
    other_fields = record_fields(world, key, organization=world["other"]["organization"].pk)
    assert records.post(reverse(WORK_RECORD), other_fields).status_code == 201
    answer = client.post(reverse(WORK_RECORD), record_fields(world, key))
    assert answer.status_code == 400
    assert list(answer.json()) == ["client_uuid"]
    assert WorkRecord.objects.unscoped().count() == 1


def test_work_record_on_another_scopes_day_is_refused(world):
    day = check_in(world, "other")
    client = client_for(world["mine"]["instructor_user"])
    answer = client.post(
        reverse(WORK_RECORD), record_fields(world, uuid.uuid4(), on_site_day=day.pk)
    )
    assert answer.status_code == 400
    assert "on_site_day" in answer.json()
    assert WorkRecord.objects.unscoped().count() == 0


@pytest.mark.parametrize("name", [CHECK_IN, CHECK_OUT, WORK_RECORD])
def test_anonymous_send_is_401_so_the_queue_waits_for_login(client, world, name):
    answer = client.post(reverse(name), {"client_uuid": str(uuid.uuid4())})
    assert answer.status_code == 401
    assert "认证" in answer.json()["detail"]
    assert OnSiteDay.objects.unscoped().count() == 0
    assert WorkRecord.objects.unscoped().count() == 0


def test_send_without_csrf_token_is_refused(world):
    client = client_for(world["mine"]["instructor_user"], enforce_csrf=True)
    answer = client.post(reverse(WORK_RECORD), record_fields(world, uuid.uuid4()))
    assert answer.status_code == 403
    assert "CSRF" in answer.json()["detail"]
    assert WorkRecord.objects.unscoped().count() == 0


def test_the_token_asked_of_the_server_is_accepted(world):
    client = client_for(world["mine"]["instructor_user"], enforce_csrf=True)
    token = client.get(reverse("api:csrf")).json()["csrf"]
    answer = client.post(
        reverse(WORK_RECORD), record_fields(world, uuid.uuid4()), headers={"X-CSRFToken": token}
    )
    assert answer.status_code == 201


def test_the_token_is_not_given_to_the_logged_out(client):
    assert client.get(reverse("api:csrf")).status_code == 401


def test_submission_queued_by_another_user_waits_for_that_user(world):
    client = client_for(world["mine"]["instructor_user"])
    answer = client.post(
        reverse(WORK_RECORD),
        record_fields(world, uuid.uuid4()),
        headers={"X-Zhidao-User": str(world["other"]["instructor_user"].pk)},
    )
    assert answer.status_code == 403
    assert answer.json()["login"] is True
    assert WorkRecord.objects.unscoped().count() == 0


@pytest.mark.parametrize("body", ["json", "form"])
def test_browser_precision_coordinates_are_rounded_to_six_decimals(world, body):
    client = client_for(world["mine"]["instructor_user"])
    fields = {
        "client_uuid": str(uuid.uuid4()),
        "place": place(world),
        "latitude": 27.829730123456789,
        "longitude": 112.944050987654321,
        "accuracy_m": 15.3,
    }
    if body == "json":
        answer = client.post(reverse(CHECK_IN), json.dumps(fields), content_type="application/json")
    else:
        answer = client.post(reverse(CHECK_IN), {k: str(v) for k, v in fields.items()})
    assert answer.status_code == 201, answer.content
    day = OnSiteDay.objects.unscoped().get(pk=answer.json()["id"])
    assert str(day.latitude) == "27.829730"
    assert str(day.longitude) == "112.944051"
    assert day.accuracy_m == 15


def test_a_latitude_out_of_range_is_refused_in_chinese(world):
    client = client_for(world["mine"]["instructor_user"])
    fields = {
        "client_uuid": str(uuid.uuid4()),
        "place": place(world),
        "latitude": 91,
        "longitude": 1,
    }
    answer = client.post(reverse(CHECK_IN), fields)
    assert answer.status_code == 400
    assert "-90" in answer.json()["latitude"][0]


def test_the_page_form_rounds_the_same_way(world):
    """The check-in page's own form goes through the same service as the API."""
    user = world["mine"]["instructor_user"]
    client = client_for(user)
    answer = client.post(
        reverse("fieldwork:check_in"),
        {
            "client_uuid": str(uuid.uuid4()),
            "place": place(world),
            "latitude": "27.829730123456789",
            "longitude": "112.944050987654321",
            "accuracy_m": "15.3",
        },
    )
    assert answer.status_code == 302
    day = OnSiteDay.objects.unscoped().get()
    assert (str(day.latitude), str(day.longitude), day.accuracy_m) == (
        "27.829730",
        "112.944051",
        15,
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", [CHECK_IN, WORK_RECORD])
def test_six_concurrent_deliveries_store_one_record_on_postgresql(world, name):
    """The page and the service worker both syncing, plus retries: six deliveries of one
    submission at the same moment answer one 201 and five 200 with the same record."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serializes them)")
    key = uuid.uuid4()
    fields = (
        {"client_uuid": str(key), "place": place(world)}
        if name == CHECK_IN
        else record_fields(world, key)
    )
    clients = [client_for(world["mine"]["instructor_user"]) for _ in range(6)]
    barrier = threading.Barrier(len(clients))
    answers, errors = [], []

    def send(client):
        try:
            barrier.wait()
            answers.append(client.post(reverse(name), fields))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(answer.status_code for answer in answers) == [200] * 5 + [201]
    assert len({answer.json()["id"] for answer in answers}) == 1
    model = OnSiteDay if name == CHECK_IN else WorkRecord
    assert model.objects.unscoped().filter(client_uuid=key).count() == 1
