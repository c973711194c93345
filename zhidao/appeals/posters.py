"""The printable A4 QR poster of an organization, drawn with Pillow (PNG, and PDF at 150 dpi)."""

import io
from dataclasses import dataclass
from pathlib import Path

import segno
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

DPI = 150
A4_MM = (210, 297)
SIZE = tuple(round(mm / 25.4 * DPI) for mm in A4_MM)  # 1240 × 1754 pixels
CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)
UNION_RED = (196, 30, 58)
INK = (34, 34, 34)


@dataclass(frozen=True)
class PosterContent:
    organization: str
    url: str
    instructor_name: str = ""
    instructor_phone: str = ""
    officer_name: str = ""
    officer_phone: str = ""
    hotline: str = "12351"


def _font(size: int):
    for path in CJK_FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    # No CJK font installed: Pillow's own font still draws the QR and Latin text legibly.
    return ImageFont.load_default(size=size)


def _centered(draw, y: int, text: str, size: int, fill=INK) -> int:
    font = _font(size)
    width = SIZE[0] - 160
    lines, line = [], ""
    for ch in text:  # wrap by characters: Chinese has no spaces to break at
        if draw.textlength(line + ch, font=font) > width:
            lines.append(line)
            line = ch
        else:
            line += ch
    lines.append(line)
    for text_line in lines:
        left = (SIZE[0] - draw.textlength(text_line, font=font)) / 2
        draw.text((left, y), text_line, font=font, fill=fill)
        y += round(size * 1.35)
    return y


def render_poster(content: PosterContent) -> Image.Image:
    image = Image.new("RGB", SIZE, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, SIZE[0], 190), fill=UNION_RED)
    _centered(draw, 55, _("Trouble or a request? Scan and tell the union"), 62, fill="white")
    y = _centered(draw, 240, content.organization, 52)
    qr = segno.make(content.url, error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=20, border=2)
    buffer.seek(0)
    code = Image.open(buffer).convert("RGB").resize((760, 760), Image.NEAREST)
    image.paste(code, ((SIZE[0] - 760) // 2, y + 30))
    y += 30 + 760 + 30
    y = _centered(draw, y, _("Anonymous if you wish · we answer within 3 working days"), 34)
    y += 30
    if content.instructor_name:
        y = _centered(
            draw,
            y,
            _("Union instructor %(name)s: %(phone)s")
            % {"name": content.instructor_name, "phone": content.instructor_phone or "—"},
            40,
        )
    if content.officer_name:
        y = _centered(
            draw,
            y,
            _("Union chair %(name)s: %(phone)s")
            % {"name": content.officer_name, "phone": content.officer_phone or "—"},
            36,
        )
    _centered(
        draw,
        SIZE[1] - 130,
        _("Trade union rights hotline %(hotline)s") % {"hotline": content.hotline},
        36,
        fill=UNION_RED,
    )
    return image


def poster_png(content: PosterContent) -> bytes:
    output = io.BytesIO()
    render_poster(content).save(output, format="PNG", optimize=True)
    return output.getvalue()


def poster_pdf(content: PosterContent) -> bytes:
    output = io.BytesIO()
    render_poster(content).save(output, format="PDF", resolution=DPI)
    return output.getvalue()
