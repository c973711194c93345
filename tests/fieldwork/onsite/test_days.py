"""The day list and detail for every role, and photos served only to who may see the day."""

import io
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from zhidao.fieldwork import services
from zhidao.fieldwork.models import OnSiteDay, OnSiteDayPhoto
from zhidao.fieldwork.onsite import services as onsite_services

from .conftest import SITE, check_in, fake_jpeg, jpeg_with_gps, place

LIST = reverse("fieldwork:on_site_day_list")


def _detail(day):
    return reverse("fieldwork:on_site_day_detail", args=[day.pk])


# ----- photos -----


def test_a_non_image_renamed_jpg_is_refused_at_the_photos_field_and_nothing_else_is_lost(
    world, client
):
    client.force_login(world["mine"]["instructor_user"])
    response = client.post(
        reverse("fieldwork:check_in"),
        {
            "client_uuid": str(uuid.uuid4()),
            "place": place(world),
            "summary": "检查了职代会记录",
            "photos": [fake_jpeg("现场.jpg")],
        },
    )
    form = response.context["form"]
    assert response.status_code == 200
    not_a_picture = "该文件不是图片（JPEG、PNG 或 WebP），请选择照片。"
    assert form.errors["photos"] == [f"现场.jpg：{not_a_picture}"]
    assert form["summary"].value() == "检查了职代会记录"
    assert form["place"].value() == place(world)
    assert not OnSiteDay.objects.exists()


def test_exif_gps_is_gone_after_upload_and_the_image_is_downscaled(world, client, settings):
    upload = jpeg_with_gps(size=(3000, 2000))
    assert Image.open(io.BytesIO(upload.read())).getexif().get_ifd(0x8825)  # the source has GPS
    upload.seek(0)
    client.force_login(world["mine"]["instructor_user"])
    response = client.post(
        reverse("fieldwork:check_in"),
        {
            "client_uuid": str(uuid.uuid4()),
            "place": place(world),
            "photos": [upload, jpeg_with_gps("second.jpg", size=(800, 600))],
        },
    )
    assert response.status_code == 302
    photo = OnSiteDayPhoto.objects.first()
    assert OnSiteDayPhoto.objects.count() == 2
    with photo.image.open("rb") as stored, Image.open(stored) as image:
        assert not image.getexif()
        assert max(image.size) == settings.FIELDWORK_PHOTO_MAX_SIDE
        assert (photo.width, photo.height) == image.size
    assert ".jpg" in photo.image.name and "现场" not in photo.image.name


def test_instructor_adds_photos_at_check_out(world, client):
    day = check_in(world)
    client.force_login(world["mine"]["instructor_user"])
    client.post(
        reverse("fieldwork:on_site_day_check_out", args=[day.pk]),
        {"client_uuid": str(day.client_uuid), "summary": "", "photos": [jpeg_with_gps()]},
    )
    assert day.photos.count() == 1


def test_photo_is_served_to_the_day_scope_and_404_to_another_scope(world, client, settings):
    day = check_in(world)
    photo = onsite_services.add_photos(
        actor=world["mine"]["instructor_user"], day=day, files=[jpeg_with_gps()]
    )[0]
    url = reverse("fieldwork:on_site_day_photo", args=[day.pk, photo.pk])
    for role in ("instructor_user", "officer", "admin", "leader"):
        client.force_login(world["mine"][role])
        response = client.get(url)
        assert response.status_code == 200, role
        assert response["Content-Type"] == "image/jpeg"
    for role in ("instructor_user", "officer", "admin", "leader"):
        client.force_login(world["other"][role])
        assert client.get(url).status_code == 404, role
    assert not url.startswith(settings.MEDIA_URL)


# ----- list and detail -----


def test_each_role_lists_the_days_of_its_scope_only(world, client):
    mine, other = check_in(world), check_in(world, "other")
    for role in ("instructor_user", "officer", "admin", "leader"):
        client.force_login(world["mine"][role])
        shown = list(client.get(LIST).context["page_obj"])
        assert shown == [mine], role
        assert other not in shown


def test_another_scope_gets_404_on_the_day_detail(world, client):
    day = check_in(world)
    client.force_login(world["other"]["admin"])
    assert client.get(_detail(day)).status_code == 404
    client.force_login(world["other"]["officer"])
    assert client.get(_detail(day)).status_code == 404


def test_day_detail_shows_location_and_timeline(world, client):
    day = check_in(world, latitude=SITE[0], longitude=SITE[1], accuracy_m=15)
    client.force_login(world["mine"]["officer"])
    html = client.get(_detail(day)).content.decode()
    assert str(SITE[0]) in html and "约 15 米" in html
    assert "等待基层工会干部确认" in html
    assert "有异议" in html  # the officer's buttons


def test_list_filters_by_status_far_and_date(world, client):
    day = check_in(world)
    day.is_far = True
    day.save(update_fields=["is_far"])
    client.force_login(world["mine"]["admin"])
    assert list(client.get(LIST, {"status": "confirmed"}).context["page_obj"]) == []
    assert list(client.get(LIST, {"is_far": "on"}).context["page_obj"]) == [day]
    assert list(client.get(LIST, {"is_far": "false"}).context["page_obj"]) == []
    assert list(client.get(LIST, {"date_from": "2026-11-26"}).context["page_obj"]) == []
    assert list(client.get(LIST, {"q": "湘潭测试"}).context["page_obj"]) == [day]
    assert list(client.get(LIST, {"q": "株洲"}).context["page_obj"]) == []


def _add_days(world, offsets) -> None:
    """Days on earlier dates through the shared service, each at its own time."""
    for offset in offsets:
        on = date(2026, 11, 24) - timedelta(days=offset)
        services.check_in(
            actor=world["mine"]["instructor_user"],
            client_uuid=uuid.uuid4(),
            assignment_id=world["mine"]["assignment"].pk,
            organization_id=world["mine"]["organization"].pk,
            checked_in_at=datetime(
                on.year, on.month, on.day, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")
            ),
        )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_day_list_query_count_does_not_grow_with_rows(world, client):
    _add_days(world, [0])
    counts_one = {}
    for role in ("admin", "officer", "instructor_user"):
        client.force_login(world["mine"][role])
        counts_one[role] = _queries(client, LIST)
    _add_days(world, range(1, 30))
    assert OnSiteDay.objects.count() == 30
    for role in ("admin", "officer", "instructor_user"):
        client.force_login(world["mine"][role])
        assert _queries(client, LIST) == counts_one[role], role


def test_officer_confirmation_page_query_count_does_not_grow_with_rows(world, client):
    _add_days(world, [0])
    client.force_login(world["mine"]["officer"])
    one = _queries(client, reverse("fieldwork:officer_confirmations"))
    _add_days(world, range(1, 30))
    assert _queries(client, reverse("fieldwork:officer_confirmations")) == one


def test_instructor_list_has_no_instructor_filter_but_staff_list_has(world, client):
    client.force_login(world["mine"]["instructor_user"])
    assert "instructor" not in client.get(LIST).context["filter_form"].fields
    client.force_login(world["mine"]["admin"])
    assert "instructor" in client.get(LIST).context["filter_form"].fields
