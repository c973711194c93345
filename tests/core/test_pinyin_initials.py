"""The initials people search by: per-word caching gives what pypinyin gives for the text."""

import pytest
from pypinyin import Style, lazy_pinyin

from zhidao.core.text import pinyin_initials


@pytest.mark.parametrize(
    "name",
    ["湖南吉利汽车部件有限公司", "中国银行湘潭分行", "重庆长安汽车", "湘潭市行长路12号", "ABC科技"],
)
def test_initials_are_those_of_the_whole_text(name):
    expected = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")).lower()
    assert pinyin_initials(name) == expected.replace(" ", "")


def test_geely_is_hnjlqc():
    assert pinyin_initials("湖南吉利汽车") == "hnjlqc"
