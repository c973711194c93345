"""Cleaning a spreadsheet cell before it is parsed: what people paste into Excel.

Full-width digits and letters (１２３, ＡＢＣ), a full-width space, stray spaces at either end or
doubled inside, and line breaks inside a cell are cleaned, and the cleaning is reported so that the
preview can show it ("'９１４３…' 已清理为 '9143…'"). The width folding is NFKC's (the Unicode
compatibility mapping Excel's own ASC() follows) for digits, Latin letters and spaces only:
full-width punctuation (（）、，) is how Chinese text is written (湘潭某某（有限合伙）,
县（市、区）级) and is kept, so that a name re-imports as it was exported.
"""

from __future__ import annotations

import re
from datetime import date, datetime

_SPACES = re.compile(r"\s+")
# Full-width digits and letters (U+FF10–FF19, FF21–FF3A, FF41–FF5A) to ASCII; the ideographic
# space is whitespace already (collapsed below).
_WIDTH_FOLD = {
    code: code - 0xFEE0
    for start, end in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
    for code in range(start, end + 1)
}


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
    folded = (text or "").translate(_WIDTH_FOLD)
    folded = _SPACES.sub(" " if keep_inner_spaces else "", folded).strip()
    return folded
