from pypinyin import Style, lazy_pinyin


def pinyin_initials(text: str) -> str:
    """湖南吉利汽车 -> hnjlqc: lets people search by the initials they type on a phone."""
    if not text:
        return ""
    letters = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")
    return "".join(letters).lower().replace(" ", "")[:200]
