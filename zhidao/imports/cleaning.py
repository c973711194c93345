"""Cleaning a spreadsheet cell before it is parsed: what people paste into Excel.

Full-width digits and letters (１２３, ＡＢＣ), a full-width space, stray spaces at either end or
doubled inside, and line breaks inside a cell are cleaned, and the cleaning is reported so that the
preview can show it ("'９１４３…' 已清理为 '9143…'"). NFKC does the width folding (the Unicode
compatibility mapping Excel's own ASC() follows); Chinese characters are left as they are.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

_SPACES = re.compile(r"\s+")


def cell_text(value) -> str:
    """A cell as text: dates as YYYY-MM-DD, whole numbers without '.0', None as ''."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.hour or value.minute or value.second:
            return value.strftime("%Y-%m-%d %H:%M")
        return value.strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def clean_text(text: str, *, keep_inner_spaces: bool = True) -> str:
    """Width-folded, trimmed, inner whitespace collapsed to one space (or removed, for codes)."""
    folded = unicodedata.normalize("NFKC", text or "")
    folded = _SPACES.sub(" " if keep_inner_spaces else "", folded).strip()
    return folded
