"""Checking and cleaning uploads (SECURITY.md "Uploads").

Images are identified by their content, not their name; they are re-encoded, which drops every
EXIF tag (GPS included), and downscaled. Other attachments must be one of a few document types,
again recognised by their first bytes.
"""

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}
DEFAULT_MAX_BYTES = 8 * 1024 * 1024
DEFAULT_MAX_SIDE = 1600
# Decompression bombs: refuse anything that would decode to more pixels than this.
MAX_PIXELS = 40_000_000

_DOCUMENT_SIGNATURES = {
    b"%PDF-": "pdf",
    b"PK\x03\x04": "office",  # docx / xlsx / pptx are zip containers
    b"\xd0\xcf\x11\xe0": "office-legacy",  # doc / xls
    b"\xff\xd8\xff": "jpg",
    b"\x89PNG\r\n\x1a\n": "png",
}
_DOCUMENT_EXTENSIONS = {
    "pdf": {"pdf"},
    "office": {"docx", "xlsx", "pptx"},
    "office-legacy": {"doc", "xls", "ppt"},
    "jpg": {"jpg", "jpeg"},
    "png": {"png"},
}


def _check_size(upload, max_bytes: int) -> None:
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size).1f MB); the limit is %(limit)d MB."),
            code="too_large",
            params={"size": upload.size / 1024 / 1024, "limit": max_bytes // 1024 // 1024},
        )


def clean_image(
    upload,
    *,
    max_bytes: int | None = None,
    max_side: int | None = None,
) -> ContentFile:
    """A re-encoded JPEG (no EXIF, at most max_side pixels on the long side) or a Chinese error."""
    max_bytes = max_bytes or getattr(settings, "FIELDWORK_PHOTO_MAX_BYTES", DEFAULT_MAX_BYTES)
    max_side = max_side or getattr(settings, "FIELDWORK_PHOTO_MAX_SIDE", DEFAULT_MAX_SIDE)
    _check_size(upload, max_bytes)
    not_an_image = ValidationError(
        _("This file is not a picture (JPEG, PNG or WebP). Please choose a photo."),
        code="not_an_image",
    )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in IMAGE_FORMATS:
                raise not_an_image
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("The picture is too large to process."), code="too_large")
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            # Phones store "rotate me" in EXIF; apply it before EXIF is dropped.
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            image.thumbnail((max_side, max_side))
            output = io.BytesIO()
            # Saving without exif= writes no EXIF block at all.
            image.save(output, format="JPEG", quality=82, optimize=True)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_an_image from None
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


def check_document(upload, *, max_bytes: int = 20 * 1024 * 1024) -> None:
    """Accept PDF, Office documents and JPEG/PNG pictures, recognised by content and name."""
    _check_size(upload, max_bytes)
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    kind = next((k for sig, k in _DOCUMENT_SIGNATURES.items() if head.startswith(sig)), None)
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if kind is None or extension not in _DOCUMENT_EXTENSIONS[kind]:
        raise ValidationError(
            _(
                "This type of file is not accepted. Attach a PDF, a Word, Excel or PowerPoint "
                "document, or a JPEG or PNG picture."
            ),
            code="bad_type",
        )
