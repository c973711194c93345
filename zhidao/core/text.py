import functools

from pypinyin import Style, lazy_pinyin
from pypinyin.core import Pinyin

_PINYIN = Pinyin()


@functools.lru_cache(maxsize=65536)
def _word_initials(word: str) -> str:
    return "".join(lazy_pinyin(word, style=Style.FIRST_LETTER, errors="default"))


def pinyin_initials(text: str) -> str:
    """湖南吉利汽车 -> hnjlqc: lets people search by the initials they type on a phone.

    pypinyin segments the text into words and converts each word on its own; the words'
    initials are cached, since names share most of their words (湘潭, 科技, 有限公司), which
    makes an import of 100,000 names several times faster with the same result."""
    if not text:
        return ""
    letters = "".join(_word_initials(word) for word in _PINYIN.seg(text))
    return letters.lower().replace(" ", "")[:200]


def _letters(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isascii() and ch.isalnum())


@functools.lru_cache(maxsize=65536)
def _word_syllables(word: str) -> tuple[str, ...]:
    syllables = lazy_pinyin(word, errors="default")
    if len(syllables) != len(word):  # a run of letters or digits comes back as one item
        syllables = [lazy_pinyin(char, errors="default")[0] for char in word]
    return tuple(_letters(syllable) for syllable in syllables)


def name_syllables(text: str) -> list[str]:
    """One toneless syllable per character of the text (吉利 -> ["ji", "li"]); a letter or a
    digit stands for itself and punctuation for nothing ("")."""
    if not text:
        return []
    return [syllable for word in _PINYIN.seg(text) for syllable in _word_syllables(word)]


def pinyin_full(text: str, max_length: int = 1000) -> str:
    """湖南吉利汽车 -> hunanjiliqiche: the full pinyin people type, lower-case and without
    separators (ü as v, 律师 -> lvshi, as pinyin keyboards take it). Words are converted as
    pypinyin segments them, so polyphones read as in the word (银行 -> yinhang)."""
    return "".join(name_syllables(text))[:max_length]


def search_letters(text: str) -> str:
    """What a typed query stands for in pinyin: the letters of a Latin query ("Ji Li" -> jili),
    the full pinyin of a Chinese one (吉力 -> jili, so that homophones match)."""
    text = (text or "").strip()
    if text.isascii():
        return _letters(text)
    return pinyin_full(text)


def pinyin_match_span(name: str, text: str) -> tuple[int, int] | None:
    """The characters of the name that the pinyin or the initials typed stand for, as
    (start, end): "jili" and "jl" in 湖南吉利汽车 -> (2, 4). A match starts at a syllable's
    start; one that starts inside a syllable is not shown (None)."""
    letters = search_letters(text)
    if not letters:
        return None
    syllables = name_syllables(name)
    if len(syllables) != len(name):
        return None
    full = ""
    starts: dict[int, int] = {}  # offset in the full pinyin -> the character starting there
    owners: list[int] = []  # the character each letter of the full pinyin belongs to
    for index, syllable in enumerate(syllables):
        if syllable:
            starts[len(full)] = index
            full += syllable
            owners.extend([index] * len(syllable))
    offset = next((at for at in sorted(starts) if full.startswith(letters, at)), None)
    if offset is not None:
        return starts[offset], owners[offset + len(letters) - 1] + 1
    if text.isascii():
        letter_owners = [index for index, syllable in enumerate(syllables) if syllable]
        initials = "".join(syllable[0] for syllable in syllables if syllable)
        at = initials.find(letters)
        if at >= 0:
            return letter_owners[at], letter_owners[at + len(letters) - 1] + 1
    return None
