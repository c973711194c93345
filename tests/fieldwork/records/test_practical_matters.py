"""Practical matters: totals from the database, photos checked by content, export."""

import io
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from zhidao.audit.models import AccessEvent, AccessEventKind
from zhidao.fieldwork.models import PracticalMatter
from zhidao.fieldwork.records.selectors import practical_matter_list, practical_matter_totals

from .conftest import make_matter


def _jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, format="JPEG")
    return SimpleUploadedFile("食堂.jpg", buffer.getvalue(), content_type="image/jpeg")


def _form_data(side, **changes) -> dict:
    data = {
        "organization": side["organization"].pk,
        "title": "户外劳动者驿站",
        "beneficiary": "workers",
        "category": "rest_station",
        "beneficiaries_count": 35,
        "status": "in_progress",
        "funds_source": "工会经费",
    }
    data.update(changes)
    return data


def test_totals_equal_an_independent_count(client, world):
    mine = world["mine"]
    make_matter(mine, status="done", category="canteen", beneficiaries_count=120)
    make_matter(mine, status="done", category="sports", beneficiaries_count=80)
    make_matter(mine, status="planned", category="canteen", beneficiaries_count=15)
    make_matter(mine, status="dropped", category="legal", beneficiaries_count=0)
    make_matter(
        mine, status="done", category="canteen", beneficiary="enterprise", beneficiaries_count=1
    )
    make_matter(world["other"], status="done", beneficiaries_count=999)
    client.force_login(mine["admin"])
    response = client.get(reverse("fieldwork:practical_matter_list"), {"category": "canteen"})
    totals = response.context["totals"]
    canteen = [m for m in PracticalMatter.objects.all() if m.category == "canteen"]
    mine_canteen = [m for m in canteen if m.assignment_id == mine["assignment"].pk]
    assert totals["count"] == len(mine_canteen) == 3
    workers = [m for m in mine_canteen if m.beneficiary == "workers"]
    assert totals["workers"] == sum(m.beneficiaries_count for m in workers) == 135
    assert totals["enterprises"] == 1  # never added to the workers
    by_status = {row["value"]: (row["count"], row["workers"]) for row in totals["by_status"]}
    assert by_status["done"] == (2, 120)
    assert by_status["planned"] == (1, 15)
    assert "135" in response.content.decode()


def test_totals_are_one_query(world):
    mine = world["mine"]
    make_matter(mine)
    matters = practical_matter_list(mine["admin"])
    with CaptureQueriesContext(connection) as captured:
        practical_matter_totals(matters)
    assert len(captured) <= 2  # the scope's role grants, then the aggregate


def test_instructor_creates_a_matter_with_a_photo(client, world):
    mine = world["mine"]
    client.force_login(mine["instructor_user"])
    response = client.post(
        reverse("fieldwork:practical_matter_create"), {**_form_data(mine), "photos": [_jpeg()]}
    )
    matter = PracticalMatter.objects.get()
    assert response.status_code == 302
    assert matter.photos.count() == 1
    photo = matter.photos.get()
    photo_url = reverse("fieldwork:practical_matter_photo", args=[matter.pk, photo.pk])
    client.force_login(mine["leader"])
    assert client.get(photo_url)["Content-Type"] == "image/jpeg"


def test_fake_image_is_rejected_with_a_clear_message(client, world):
    mine = world["mine"]
    client.force_login(mine["instructor_user"])
    fake = SimpleUploadedFile("photo.jpg", b"this is a text file", content_type="image/jpeg")
    response = client.post(
        reverse("fieldwork:practical_matter_create"), {**_form_data(mine), "photos": [fake]}
    )
    assert response.status_code == 200
    assert "该文件不是图片" in response.context["form"].errors["photos"][0]
    assert "户外劳动者驿站" in response.content.decode()
    assert not PracticalMatter.objects.exists()


def test_completion_before_start_is_refused_at_the_field(client, world):
    mine = world["mine"]
    client.force_login(mine["instructor_user"])
    response = client.post(
        reverse("fieldwork:practical_matter_create"),
        _form_data(mine, started_on="2026-10-01", completed_on="2026-09-01"),
    )
    assert "completed_on" in response.context["form"].errors


def test_instructor_edits_its_matter(client, world):
    mine = world["mine"]
    matter = make_matter(mine, status="in_progress")
    client.force_login(mine["instructor_user"])
    data = _form_data(mine, status="done", result="驿站已投入使用")
    data.pop("organization")
    response = client.post(reverse("fieldwork:practical_matter_edit", args=[matter.pk]), data)
    matter.refresh_from_db()
    assert response.status_code == 302
    assert matter.status == "done" and matter.result == "驿站已投入使用"


def test_officer_cannot_edit_a_matter(client, world):
    mine = world["mine"]
    matter = make_matter(mine)
    client.force_login(mine["officer"])
    url = reverse("fieldwork:practical_matter_edit", args=[matter.pk])
    assert client.get(url).status_code == 403


def test_export_holds_the_filtered_matters_and_is_logged(client, world):
    mine = world["mine"]
    make_matter(mine, title="职工书屋", status="done")
    make_matter(mine, title="篮球场", status="planned")
    client.force_login(mine["admin"])
    response = client.get(reverse("exports:export", args=["practical-matters"]), {"status": "done"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["职工书屋"]
    assert rows[1][6] == 120
    assert AccessEvent.objects.filter(kind=AccessEventKind.EXPORT).count() == 1
