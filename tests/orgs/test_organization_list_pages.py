"""The organization list pages by keyset (issue 14: a province holds 100,000 organizations):
下一页 and 上一页 walk every organization once, in name order or a search's ranking; the count
stops at the cap; the filters and the export link ride along."""

import pytest
from django.urls import reverse

from tests import factories
from tests.keyset_pages import chunks, last_page_query, links, walk, walk_back
from zhidao.core import pagination
from zhidao.orgs.models import Organization

URL = reverse("orgs:organization_list")


@pytest.fixture
def many(world):
    """Eight organizations of mine besides the world's own (two with the same name: the id
    breaks the tie), and one of the other city's."""
    district = world["mine"]["district"]
    names = ["甲纺织有限公司", "乙纺织有限公司", "丙机械有限公司", "丁机械有限公司"]
    names += ["戊纺织有限公司", "戊纺织有限公司", "己物流有限公司", "庚物流有限公司"]
    made = [factories.OrganizationFactory(name=name, federation=district) for name in names]
    factories.OrganizationFactory(name="辛纺织有限公司", federation=world["other"]["district"])
    return [*made, world["mine"]["organization"]]


def by_name(organizations) -> list[int]:
    return [row.pk for row in sorted(organizations, key=lambda row: (row.name, row.pk))]


def test_next_pages_list_every_organization_once_in_name_order(client, world, many):
    client.force_login(world["mine"]["admin"])
    assert walk(client, URL, "per_page=4") == chunks(by_name(many), 4)


def test_previous_pages_lead_back_to_the_first(client, world, many):
    client.force_login(world["mine"]["admin"])
    last = last_page_query(client, URL, "per_page=4")
    assert list(reversed(walk_back(client, URL, last))) == chunks(by_name(many), 4)


def test_a_search_walks_its_matches_in_the_search_order(client, world, many):
    client.force_login(world["mine"]["admin"])
    textile = [row for row in many if "纺织" in row.name]
    # Every match contains the text (one rank): by name, then by id.
    assert walk(client, URL, "q=纺织&per_page=2") == chunks(by_name(textile), 2)


def test_a_filter_walks_its_own_rows(client, world, many):
    suspended = many[1:6:2]
    Organization.objects.filter(pk__in=[row.pk for row in suspended]).update(status="suspended")
    client.force_login(world["mine"]["admin"])
    assert walk(client, URL, "status=suspended&per_page=2") == chunks(by_name(suspended), 2)


def test_the_count_is_exact_up_to_the_cap(client, world, many):
    client.force_login(world["mine"]["admin"])
    assert "共 9 条记录" in client.get(URL).content.decode()


def test_past_the_cap_the_count_says_more_than(client, world, many, monkeypatch):
    monkeypatch.setattr(pagination, "KEYSET_COUNT_CAP", 5)
    client.force_login(world["mine"]["admin"])
    text = client.get(URL).content.decode()
    assert "超过 5 条记录" in text and "共 9 条" not in text


def test_the_second_page_keeps_the_filter_bar_and_the_export_without_the_cursor(
    client, world, many
):
    client.force_login(world["mine"]["admin"])
    following = links(client.get(URL, {"per_page": 4, "kind": "new_economic"}))["next"]
    assert "kind=new_economic" in following
    body = client.get(f"{URL}?{following}").content.decode()
    form = body[body.index('<form method="get" class="filters"') :]
    assert "cursor" not in form[: form.index("</form>")]
    assert f'href="{reverse("imports:export", args=["organizations"])}"' in body
