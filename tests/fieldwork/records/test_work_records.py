"""Work records: idempotent creation, late marking, the instructor's own organizations only,
editing by the author, the .xlsx export."""

import uuid
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories
from zhidao.audit.models import AccessEvent, AccessEventKind
from zhidao.fieldwork import services
from zhidao.fieldwork.models import WorkRecord

from .conftest import TODAY, make_record


def _form_data(side, **changes) -> dict:
    data = {
        "client_uuid": str(uuid.uuid4()),
        "organization": side["organization"].pk,
        "duty": "guidance",
        "worked_on": TODAY.isoformat(),
        "participants": "工会主席、职工代表2人",
        "content": "指导召开职工代表大会筹备会",
    }
    data.update(changes)
    return data


def test_the_same_client_uuid_three_times_stores_one_record(world):
    mine = world["mine"]
    client_uuid = uuid.uuid4()
    records = [make_record(mine, client_uuid=client_uuid) for _ in range(3)]
    assert WorkRecord.objects.filter(client_uuid=client_uuid).count() == 1
    assert {record.pk for record in records} == {records[0].pk}


def test_posting_the_same_form_three_times_stores_one_record(client, world):
    mine = world["mine"]
    client.force_login(mine["instructor_user"])
    data = _form_data(mine)
    for _ in range(3):
        response = client.post(reverse("fieldwork:work_record_create"), data)
        assert response.status_code == 302
    assert WorkRecord.objects.filter(client_uuid=data["client_uuid"]).count() == 1


def test_record_three_days_after_the_work_is_on_time(world):
    record = make_record(world["mine"], worked_on=TODAY - timedelta(days=3))
    assert record.is_late is False


def test_record_four_days_after_the_work_is_marked_late(world):
    record = make_record(world["mine"], worked_on=TODAY - timedelta(days=4))
    assert record.is_late is True


def test_late_record_shows_the_late_badge_in_the_list(client, world):
    mine = world["mine"]
    make_record(mine, worked_on=TODAY - timedelta(days=10))
    client.force_login(mine["admin"])
    response = client.get(reverse("fieldwork:work_record_list"))
    assert "补录" in response.content.decode()


def test_late_only_filter_leaves_out_prompt_records(client, world):
    mine = world["mine"]
    late = make_record(mine, worked_on=TODAY - timedelta(days=10), content="迟到的记录")
    make_record(mine, content="及时的记录")
    client.force_login(mine["admin"])
    # The checkbox "late records only" submits the API's name, ticked as a browser sends it.
    response = client.get(reverse("fieldwork:work_record_list"), {"is_late": "on"})
    assert [record.pk for record in response.context["page_obj"]] == [late.pk]


def test_instructor_cannot_record_for_an_organization_outside_its_assignments(client, world):
    mine, other = world["mine"], world["other"]
    client.force_login(mine["instructor_user"])
    response = client.post(
        reverse("fieldwork:work_record_create"),
        _form_data(mine, organization=other["organization"].pk),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["organization"]
    assert "只能为您当前派驻的两新组织记录" in errors[0]
    # What was typed stays in the form.
    assert "指导召开职工代表大会筹备会" in response.content.decode()
    assert not WorkRecord.objects.exists()


def test_service_refuses_another_instructors_assignment_at_the_field(world):
    mine, other = world["mine"], world["other"]
    with pytest.raises(ValidationError) as caught:
        services.create_work_record(
            actor=mine["instructor_user"],
            client_uuid=uuid.uuid4(),
            assignment_id=other["assignment"].pk,
            organization_id=other["organization"].pk,
            duty="guidance",
            worked_on=TODAY,
            content="x",
        )
    assert "assignment" in caught.value.message_dict


def test_create_form_carries_the_offline_marker_and_a_client_uuid(client, world):
    client.force_login(world["mine"]["instructor_user"])
    response = client.get(reverse("fieldwork:work_record_create"))
    page = response.content.decode()
    assert 'data-offline-form="work-record"' in page
    assert 'name="client_uuid"' in page
    assert response.context["form"]["worked_on"].value() == TODAY


def test_create_form_offers_only_the_instructors_organizations(client, world):
    client.force_login(world["mine"]["instructor_user"])
    response = client.get(reverse("fieldwork:work_record_create"))
    choices = dict(response.context["form"].fields["organization"].choices)
    assert world["mine"]["organization"].pk in choices
    assert world["other"]["organization"].pk not in choices


@pytest.mark.parametrize("role", ["admin", "leader", "officer"])
def test_only_instructors_open_the_create_page(client, world, role):
    client.force_login(world["mine"][role])
    assert client.get(reverse("fieldwork:work_record_create")).status_code == 403


def test_attachment_is_stored_and_served_to_the_scope(client, world):
    mine = world["mine"]
    client.force_login(mine["instructor_user"])
    pdf = SimpleUploadedFile("会议纪要.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    response = client.post(
        reverse("fieldwork:work_record_create"), {**_form_data(mine), "attachments": [pdf]}
    )
    record = WorkRecord.objects.get()
    attachment = record.attachments.get()
    assert response.status_code == 302
    assert attachment.original_name == "会议纪要.pdf"
    client.force_login(mine["officer"])
    url = reverse("fieldwork:work_record_attachment", args=[record.pk, attachment.pk])
    assert b"".join(client.get(url).streaming_content).startswith(b"%PDF")


def test_attachment_of_a_wrong_type_is_refused_at_the_field(client, world):
    mine = world["mine"]
    client.force_login(mine["instructor_user"])
    fake = SimpleUploadedFile("纪要.pdf", b"MZ\x90\x00 not a pdf")
    response = client.post(
        reverse("fieldwork:work_record_create"), {**_form_data(mine), "attachments": [fake]}
    )
    assert response.status_code == 200
    assert "不支持该类型的文件" in response.context["form"].errors["attachments"][0]


def test_author_edits_its_record_and_lateness_is_judged_again(client, world):
    mine = world["mine"]
    record = make_record(mine)
    client.force_login(mine["instructor_user"])
    data = _form_data(mine, worked_on=(TODAY - timedelta(days=5)).isoformat())
    data.pop("client_uuid")
    response = client.post(reverse("fieldwork:work_record_edit", args=[record.pk]), data)
    record.refresh_from_db()
    assert response.status_code == 302
    assert record.worked_on == TODAY - timedelta(days=5)
    assert record.is_late is True


def test_another_instructor_cannot_open_the_edit_page(client, world):
    mine = world["mine"]
    record = make_record(mine)
    other_instructor = factories.InstructorFactory(federation=mine["city"])
    factories.make_assignment(instructor=other_instructor, organizations=[mine["organization"]])
    client.force_login(other_instructor.user)
    assert client.get(reverse("fieldwork:work_record_edit", args=[record.pk])).status_code == 404


def test_export_is_an_xlsx_of_the_filtered_list_and_is_logged(client, world):
    mine = world["mine"]
    make_record(mine, content="调研职工食堂", duty="investigation")
    make_record(mine, content="企业服务一次", duty="enterprise_service")
    client.force_login(mine["admin"])
    response = client.get(
        reverse("exports:export", args=["work-records"]), {"duty": "investigation"}
    )
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "工作日期"
    assert [row[5] for row in rows[1:]] == ["调研职工食堂"]
    # Chinese text: two width units per character.
    assert sheet.column_dimensions["B"].width >= len(mine["organization"].name) * 2
    event = AccessEvent.objects.get(kind=AccessEventKind.EXPORT)
    assert event.user == mine["admin"]


def test_export_leaves_out_another_scopes_records(client, world):
    make_record(world["other"], content="别处的记录")
    client.force_login(world["mine"]["admin"])
    response = client.get(reverse("exports:export", args=["work-records"]))
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1


def test_future_work_date_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        make_record(world["mine"], worked_on=date(2026, 11, 26))
    assert "worked_on" in caught.value.message_dict
