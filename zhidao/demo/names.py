"""Names, codes and places for the province tier: unique and plausible at any size.

Organization names are built from parts, as real ones are (place + trade name + industry word +
legal form: 浏阳鑫华烟花制造有限公司), drawn with the generator's seeded random source. A
two-character trade name is tried first; when a place and form have used those up, three-character
ones (about 490,000 per place and form) are drawn instead, so the draw never runs out.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from zhidao.orgs import divisions
from zhidao.orgs.validators import make_credit_code

from . import data

CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

# Approximate seats of Hunan's prefectures (latitude, longitude) and their relative number of
# 两新 organizations (Changsha, the capital, has by far the most).
PREFECTURE_SEATS = {
    "430100": (28.228, 112.939, 30),
    "430200": (27.827, 113.134, 9),
    "430300": (27.830, 112.944, 7),
    "430400": (26.894, 112.572, 9),
    "430500": (27.239, 111.468, 6),
    "430600": (29.357, 113.129, 9),
    "430700": (29.031, 111.699, 8),
    "430800": (29.117, 110.479, 2),
    "430900": (28.554, 112.355, 5),
    "431000": (25.770, 113.015, 6),
    "431100": (26.420, 111.613, 5),
    "431200": (27.570, 110.002, 5),
    "431300": (27.698, 111.994, 5),
    "433100": (28.314, 109.739, 2),
}
# Urban districts hold more firms than counties, county-level cities sit between.
KIND_WEIGHTS = {"市辖区": 3.0, "县级市": 2.0}
STREETS = (
    "城关街道", "东城街道", "西城街道", "南城街道", "北城街道", "新城街道", "城郊乡",
    "经济开发区", "工业园区", "高新技术产业园",
)  # fmt: skip
ROADS = (
    "人民路", "解放路", "建设路", "中山路", "五一路", "迎宾路", "新华路", "芙蓉路", "湘江路",
    "工业大道", "科技路", "环城路", "长青路", "金星路", "车站路", "朝阳路",
)  # fmt: skip


@dataclass(frozen=True)
class Place:
    """A county-level division as the generator uses it."""

    code: str
    name: str  # 浏阳市
    city_code: str
    city_name: str  # 长沙市
    name_prefix: str  # what local firms put before their trade name: 长沙 for its districts
    latitude: float
    longitude: float
    weight: float


def province_places(province_code: str = "430000") -> tuple[list[divisions.Division], list[Place]]:
    """The prefectures of the province and its county-level divisions, as places."""
    province = divisions.get(province_code)
    assert province is not None
    cities = [d for d in province.children if d.level == divisions.PREFECTURE]
    places = []
    for city in cities:
        latitude, longitude, city_weight = PREFECTURE_SEATS.get(city.code, (27.6, 111.7, 4))
        counties = [d for d in city.children if d.level == divisions.COUNTY]
        total = sum(KIND_WEIGHTS.get(c.kind, 1.0) for c in counties)
        city_short = city.name.removesuffix("市")
        for county in counties:
            # A stable spread around the seat: the code says where, not the random source.
            number = int(county.code[-2:])
            places.append(
                Place(
                    code=county.code,
                    name=county.name,
                    city_code=city.code,
                    city_name=city.name,
                    name_prefix=city_short if county.kind == "市辖区" else county.name,
                    latitude=latitude + ((number * 37) % 61 - 30) / 100,
                    longitude=longitude + ((number * 53) % 67 - 33) / 100,
                    weight=city_weight * KIND_WEIGHTS.get(county.kind, 1.0) / total,
                )
            )
    return cities, places


def organization_code_check(body: str) -> str:
    """GB 11714 check character of the 8-character organization code inside the credit code."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(char, 36) * weight for char, weight in zip(body, weights, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


class CreditCodes:
    """Unified social credit codes (GB 32100) that are valid and unique among those drawn."""

    def __init__(self, rng: random.Random, taken: set[str] | None = None):
        self.rng = rng
        self.taken = taken if taken is not None else set()

    def draw(self, prefix: str, region_code: str) -> str:
        rng = self.rng
        while True:
            if rng.random() < 0.7:  # codes issued since 2015 start with MA
                body = "MA4" + "".join(rng.choices(CODE_ALPHABET, k=5))
            else:
                body = "".join(rng.choices("0123456789", k=8))
            code = make_credit_code(prefix + region_code + body + organization_code_check(body))
            if code not in self.taken:
                self.taken.add(code)
                return code


class OrganizationNames:
    """Unique organization names for the places of a province."""

    def __init__(self, rng: random.Random, province_short: str = "湖南"):
        self.rng = rng
        self.province_short = province_short
        self.taken: set[str] = set()

    def draw(self, sub_kind: str, place: Place) -> tuple[str, str]:
        """(name, GB/T 4754 section) for a new organization of `sub_kind` in `place`."""
        attempt = 0
        while True:
            name, industry = self._compose(sub_kind, place, wide=attempt >= 20)
            if name not in self.taken:
                self.taken.add(name)
                return name, industry
            attempt += 1

    def _compose(self, sub_kind: str, place: Place, *, wide: bool) -> tuple[str, str]:
        rng = self.rng
        trade = "".join(rng.sample(data.TRADE_NAME_CHARACTERS, 3 if wide else 2))
        city = place.city_name
        if sub_kind == "social_group":
            topic = rng.choice(data.SOCIAL_GROUP_TOPICS)
            form = rng.choice(["协会", "行业协会", "学会", "促进会"])
            if wide:
                return f"{city}{trade}{topic}{form}", "S"
            if rng.random() < 0.15:
                return f"{city}{rng.choice(data.CHAMBER_PROVINCES)}商会", "S"
            area = place.name if rng.random() < 0.6 else city
            return f"{area}{topic}{form}", "S"
        if sub_kind == "private_non_enterprise":
            form, industry = rng.choice(data.PRIVATE_NON_ENTERPRISE_FORMS)
            return f"{place.name_prefix}{trade}{form}", industry
        if sub_kind == "foundation":
            return f"{city}{trade}慈善基金会", "S"
        if sub_kind == "law_firm":
            return f"{self.province_short}{trade}律师事务所", "L"
        if sub_kind == "accounting_firm":
            return f"{place.name_prefix}{trade}会计师事务所有限公司", "L"
        if sub_kind == "other_intermediary":
            return f"{place.name_prefix}{trade}{rng.choice(data.INTERMEDIARY_FORMS)}", "L"
        if sub_kind == "individual_business":
            form, industry = rng.choice(data.INDIVIDUAL_BUSINESS_FORMS)
            owner = trade if wide else rng.choice(data.SURNAMES) + "记"
            return f"{city}{place.name}{owner}{form}", industry
        industries = list(data.INDUSTRY_WEIGHTS)
        industry = rng.choices(industries, weights=list(data.INDUSTRY_WEIGHTS.values()))[0]
        word = rng.choice(data.INDUSTRY_WORDS[industry])
        prefix = self.province_short if rng.random() < 0.12 else place.name_prefix
        suffix = rng.choices(["有限公司", "有限责任公司", "股份有限公司"], weights=[80, 12, 8])[0]
        return f"{prefix}{trade}{word}{suffix}", industry


class PersonNames:
    """Chinese names from surname × given-name characters; unique when asked to be."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.taken: set[str] = set()

    def any(self) -> str:
        rng = self.rng
        given = "".join(rng.sample(data.GIVEN_NAME_CHARACTERS, rng.choice([1, 2, 2])))
        return rng.choice(data.SURNAMES) + given

    def unique(self) -> str:
        name = self.any()
        while name in self.taken:
            name = self.any()
        self.taken.add(name)
        return name
