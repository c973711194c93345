"""`short_icontains` (zhidao/core/lookups.py): the rows of `icontains` for any text, read from
the grams index on PostgreSQL for one or two characters (a trigram index cannot serve them)."""

import pytest
from django.db import connection

from tests import factories
from zhidao.dispatch.models import Instructor
from zhidao.orgs.models import Organization

NAMES = ["湖南吉利汽车部件有限公司", "吉利路便民超市", "ABC科技有限公司", "abd商贸", "集利物流"]
TEXTS = ["吉", "吉利", "利汽", "a", "AB", "bC", "科技", "x", "吉利汽", "有限公司"]


@pytest.fixture
def organizations(world):
    district = world["mine"]["district"]
    return [factories.OrganizationFactory(name=name, federation=district) for name in NAMES]


def names(queryset) -> set[str]:
    return set(queryset.values_list("name", flat=True))


@pytest.mark.parametrize("text", TEXTS)
def test_it_keeps_the_rows_icontains_keeps(organizations, text):
    rows = Organization.objects.unscoped()
    expected = {name for name in NAMES if text.upper() in name.upper()}
    assert names(rows.filter(name__short_icontains=text)) & set(NAMES) == expected
    assert names(rows.filter(name__short_icontains=text)) == names(
        rows.filter(name__icontains=text)
    )


@pytest.mark.parametrize("text", ["jl", "j", "hunan"])
def test_pinyin_and_initials_keep_the_rows_of_contains(organizations, text):
    rows = Organization.objects.unscoped()
    for field in ("name_pinyin", "name_initials"):
        assert names(rows.filter(**{f"{field}__short_icontains": text})) == names(
            rows.filter(**{f"{field}__contains": text})
        )


def sql_of(queryset) -> str:
    return str(queryset.query)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the grams index is PostgreSQL's")
def test_on_postgresql_one_or_two_characters_read_the_grams():
    rows = Organization.objects.unscoped()
    assert "zhidao_grams" in sql_of(rows.filter(name__short_icontains="吉利"))
    assert "zhidao_grams" in sql_of(rows.filter(name_initials__short_icontains="j"))
    # Three characters have a trigram: pg_trgm's index serves the plain LIKE.
    assert "zhidao_grams" not in sql_of(rows.filter(name__short_icontains="吉利汽"))
    # A model that declares no grams index compares as icontains.
    instructors = Instructor.objects.unscoped()
    assert "zhidao_grams" not in sql_of(instructors.filter(name__short_icontains="欧阳"))
