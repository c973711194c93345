"""Another scope's rows answer 404 on every detail, edit and file page."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from zhidao.fieldwork.records import services as records_services

from .conftest import make_finding, make_matter, make_record

ROLES = ["admin", "leader", "instructor_user", "officer"]


@pytest.fixture
def other_rows(world):
    other = world["other"]
    record = make_record(other)
    records_services.add_work_record_attachments(
        actor=other["instructor_user"],
        record=record,
        files=[SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")],
    )
    finding = make_finding(other)
    records_services.answer_finding(
        actor=other["officer"],
        finding=finding,
        answer="已整改",
        files=[SimpleUploadedFile("b.pdf", b"%PDF-1.4 y")],
    )
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="PNG")
    matter = make_matter(other, photos=[SimpleUploadedFile("p.png", buffer.getvalue())])
    return [
        reverse("fieldwork:work_record_detail", args=[record.pk]),
        reverse("fieldwork:work_record_edit", args=[record.pk]),
        reverse("fieldwork:work_record_attachment", args=[record.pk, record.attachments.get().pk]),
        reverse("fieldwork:finding_detail", args=[finding.pk]),
        reverse("fieldwork:finding_evidence", args=[finding.pk, finding.evidence.get().pk]),
        reverse("fieldwork:practical_matter_detail", args=[matter.pk]),
        reverse("fieldwork:practical_matter_edit", args=[matter.pk]),
        reverse("fieldwork:practical_matter_photo", args=[matter.pk, matter.photos.get().pk]),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_another_scopes_pages_and_files_are_404(client, world, other_rows, role):
    client.force_login(world["mine"][role])
    for url in other_rows:
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("role", ROLES)
def test_lists_leave_out_another_scopes_rows(client, world, other_rows, role):
    client.force_login(world["mine"][role])
    for name in ["work_record_list", "finding_list", "practical_matter_list"]:
        response = client.get(reverse(f"fieldwork:{name}"))
        assert len(response.context["page_obj"]) == 0, name


def test_anonymous_user_is_sent_to_login(client, world, other_rows):
    response = client.get(other_rows[0])
    assert response.status_code == 302
