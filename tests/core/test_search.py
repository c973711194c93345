"""The pieces every search box shares: the full pinyin names are stored with, and the <mark>
that shows which part of a name matched."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from zhidao.core.templatetags.search_tags import highlight
from zhidao.core.text import pinyin_full, pinyin_match_span, search_letters


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("湖南吉利汽车", "hunanjiliqiche"),
        ("湖南佳联律师事务所", "hunanjialianlvshishiwusuo"),  # ü typed as v
        ("中国银行湘潭分行", "zhongguoyinhangxiangtanfenhang"),  # 行 read as in the word
        ("ABC科技（长沙）", "abckejichangsha"),  # no separators, no punctuation
        ("", ""),
    ],
)
def test_full_pinyin_is_lower_case_without_separators(name, expected):
    assert pinyin_full(name) == expected


def test_a_chinese_query_stands_for_its_pinyin_so_homophones_match():
    assert search_letters("吉力") == search_letters("吉利") == "jili"
    assert search_letters(" Ji Li ") == "jili"


@pytest.mark.parametrize("text", ["jili", "jl", "JiLi", "吉力"])
def test_pinyin_initials_and_homophones_point_at_the_characters_they_stand_for(text):
    assert pinyin_match_span("湖南吉利汽车部件有限公司", text) == (2, 4)


def test_a_match_inside_a_syllable_points_at_nothing():
    # hunan|jia|lian: "ali" starts inside jia.
    assert pinyin_match_span("湖南佳联", "ali") is None


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        ("吉利", "湖南<mark>吉利</mark>汽车部件有限公司"),
        ("湖南吉利汽车", "<mark>湖南吉利汽车</mark>部件有限公司"),
        ("jili", "湖南<mark>吉利</mark>汽车部件有限公司"),
        ("jl", "湖南<mark>吉利</mark>汽车部件有限公司"),
        ("hunanji", "<mark>湖南吉</mark>利汽车部件有限公司"),
        ("吉力", "湖南<mark>吉利</mark>汽车部件有限公司"),
        ("律师", "湖南吉利汽车部件有限公司"),  # no match: nothing marked
        ("", "湖南吉利汽车部件有限公司"),
    ],
)
def test_highlight_marks_the_matched_part(text, marked):
    assert highlight("湖南吉利汽车部件有限公司", text) == marked


def test_highlight_marks_latin_letters_whatever_their_case():
    assert highlight("ABC科技", "abc") == "<mark>ABC</mark>科技"


def test_highlight_escapes_the_name_and_the_match():
    name = '<b onclick="x()">吉利</b> & Co'
    assert highlight(name, "吉利") == (
        "&lt;b onclick=&quot;x()&quot;&gt;<mark>吉利</mark>&lt;/b&gt; &amp; Co"
    )
    assert highlight(name, "<b") == (
        "<mark>&lt;b</mark> onclick=&quot;x()&quot;&gt;吉利&lt;/b&gt; &amp; Co"
    )
    assert highlight(name, "<script>") == (
        "&lt;b onclick=&quot;x()&quot;&gt;吉利&lt;/b&gt; &amp; Co"
    )


def test_the_searched_tag_reads_the_pages_search_box_and_escapes():
    template = Template("{% load search_tags %}{% searched name %}")
    request = RequestFactory().get("/", {"q": "<i>"})
    rendered = template.render(Context({"request": request, "name": "A<i>B"}))
    assert rendered == "A<mark>&lt;i&gt;</mark>B"
    no_search = template.render(Context({"request": RequestFactory().get("/"), "name": "A<i>"}))
    assert no_search == "A&lt;i&gt;"
