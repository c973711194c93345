import io
import uuid
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from zhidao.fieldwork.onsite import services as onsite_services

# The demo's "today": Wednesday 2026-11-25, ISO week 2026-W48, mid-morning in Xiangtan.
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
# 湘潭 city centre; the test organizations stand here.
SITE = (Decimal("27.829730"), Decimal("112.944050"))


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def site(world):
    """The world's organizations with coordinates, so distances can be computed."""
    for side in ("mine", "other"):
        organization = world[side]["organization"]
        organization.latitude, organization.longitude = SITE
        organization.save(update_fields=["latitude", "longitude"])
    return world


def place(world, side="mine") -> str:
    return f"{world[side]['assignment'].pk}:{world[side]['organization'].pk}"


def check_in(world, side="mine", **kwargs):
    """A day checked in through the service, as the page and the API do."""
    return onsite_services.check_in_on_site(
        actor=world[side]["instructor_user"],
        client_uuid=kwargs.pop("client_uuid", uuid.uuid4()),
        assignment_id=kwargs.pop("assignment_id", world[side]["assignment"].pk),
        organization_id=kwargs.pop("organization_id", world[side]["organization"].pk),
        **kwargs,
    ).record


def jpeg_with_gps(name="site.jpg", size=(3000, 2000)) -> SimpleUploadedFile:
    image = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (27.0, 49.0, 47.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (112.0, 56.0, 39.0)
    exif[ExifTags.Base.Make] = "TestPhone"
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def fake_jpeg(name="site.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"MZ\x90\x00 this is a program, not a photo", "image/jpeg")
