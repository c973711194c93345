"""Chinese word segmentation for the case library: jieba in search mode.

A case stores its tokens space-separated with a leading and trailing space, so that a query
token matches a whole token (" 食堂 ") with a plain LIKE on SQLite and PostgreSQL alike.
"""

import logging
import re

import jieba

jieba.setLogLevel(logging.WARNING)

_WORD = re.compile(r"\w", re.UNICODE)


def search_tokens(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for token in jieba.cut_for_search(text or ""):
        token = token.strip().lower()
        if token and _WORD.search(token):
            seen.setdefault(token, None)
    return list(seen)


def search_text_of(*parts: str) -> str:
    tokens = search_tokens(" ".join(p for p in parts if p))
    return f" {' '.join(tokens)} " if tokens else ""
