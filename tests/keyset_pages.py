"""Walking a keyset list (zhidao/core/pagination.py) as a user does: by its rendered 下一页 and
上一页 links, so the template, the `query_with` tag and the cursors are all exercised."""

import html
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

_LINK = re.compile(r'<a href="\?([^"]*)" rel="(next|prev|first)">')


def links(response) -> dict[str, str]:
    """The pagination's links of a page: rel -> query string."""
    body = response.content.decode()
    return {rel: html.unescape(query) for query, rel in _LINK.findall(body)}


def row_ids(response) -> list[int]:
    return [row.pk for row in response.context["page_obj"]]


def _follow(client, url: str, query: str, rel: str) -> list[list[int]]:
    """The row ids of each page from the page of `query`, following the `rel` links."""
    pages = []
    target = f"{url}?{query}" if query else url
    for _ in range(1000):
        response = client.get(target)
        assert response.status_code == 200
        pages.append(row_ids(response))
        following = links(response).get(rel)
        if following is None:
            return pages
        target = f"{url}?{following}"
    raise AssertionError("the pages never end")


def walk(client, url: str, query: str = "") -> list[list[int]]:
    """Every page from the first, by the "next" links: the row ids of each page."""
    return _follow(client, url, query, "next")


def walk_back(client, url: str, query: str) -> list[list[int]]:
    """From the page of `query` back to the first, by the "previous" links."""
    return _follow(client, url, query, "prev")


def last_page_query(client, url: str, query: str = "") -> str:
    """The query string of the list's last page (reached by the "next" links)."""
    current = query
    for _ in range(1000):
        response = client.get(f"{url}?{current}" if current else url)
        following = links(response).get("next")
        if following is None:
            return current
        current = following
    raise AssertionError("the pages never end")


def chunks(ids: list[int], size: int) -> list[list[int]]:
    return [ids[start : start + size] for start in range(0, len(ids), size)] or [[]]


def count_queries(client, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)
