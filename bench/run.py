"""The benchmark in one command: build (or reuse) the city and the province tier on PostgreSQL,
measure the pages of each, and print PERFORMANCE.md's page targets in one table; the same table
goes to bench/results/latest.json (`checks`: name, target, measured, unit, ok).

    .venv/bin/python bench/run.py                      # the full province tier (slow to build)
    .venv/bin/python bench/run.py --province-scale 0.05 --runs 20

Each tier lives in its own database (zhidao_bench_city, zhidao_bench_province_<scale>) and is
built once; later runs reuse it (--rebuild builds it again). Times are medians over the runs on
this machine, with the login page measured in the same run as a baseline, because these machines
are noisy. The check-in page's first load is its bytes and its static files' gzip-compressed; the
memory is the measuring process's peak after serving every page. What this version does not
measure yet (throughput under gunicorn, the roll-up and report files, the check-in page on an
emulated slow link, a figure against hand-written SQL) is listed as "not measured", never as met.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SERVER = "postgresql://postgres@127.0.0.1:5432"
TARGET_MS = {"list": 100.0, "detail": 50.0, "dashboard": 300.0}
NOT_MEASURED = [
    ("instructor home throughput under gunicorn, × a bare Django view", "≥ 25 %", "%"),
    ("quarter roll-up .xlsx for 3,000 assignments", "≤ 5 s", "s"),
    ("one report .docx", "≤ 0.5 s", "s"),
    ("check-in page usable within 3 s on a 400 kbit/s, 400 ms link", "≤ 3 s", "s"),
    ("dashboard figure vs hand-written SQL", "≤ 1.5 ×", "×"),
]


def database_exists(name: str) -> bool:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return found.fetchone() is not None


def manage(database: str, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": f"{SERVER}/{database}", "DEBUG": "false"}
    # Our own interpreter and scripts, with arguments this file writes.
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def build(database: str, load_args: list[str], rebuild: bool) -> None:
    if database_exists(database) and not rebuild:
        print(f"==> reusing {database}")
        return
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}"')
        connection.execute(f'CREATE DATABASE "{database}"')
    print(f"==> building {database}: load_demo {' '.join(load_args)}")
    manage(database, "migrate", "-v0")
    manage(database, "load_demo", "--noinput", "-v1", *load_args)


def measure(database: str, runs: int) -> dict:
    env = {**os.environ, "DATABASE_URL": f"{SERVER}/{database}"}
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(  # noqa: S603
            [PYTHON, "bench/pages.py", "--runs", str(runs), "--json", out.name],
            cwd=ROOT,
            env=env,
            check=True,
        )
        return json.loads(Path(out.name).read_text())


def checks(city: dict, province: dict) -> list[dict]:
    found = []
    city_pages = {page["page"]: page for page in city["pages"]}
    for page in province["pages"]:
        name, kind = page["page"], page["kind"]
        target = TARGET_MS[kind]
        found.append(
            {
                "name": f"{name}: province median",
                "target": f"≤ {target:g} ms",
                "measured": page["median_ms"],
                "unit": "ms",
                "ok": page["status"] == 200 and page["median_ms"] <= target,
            }
        )
        at_city = city_pages.get(name)
        if at_city is None:
            continue
        if kind == "dashboard":
            ratio = page["median_ms"] / max(at_city["median_ms"], 0.1)
            found.append(
                {
                    "name": f"{name}: province ÷ city",
                    "target": "≤ 1.5 ×",
                    "measured": round(ratio, 2),
                    "unit": "×",
                    "ok": ratio <= 1.5,
                }
            )
        found.append(
            {
                "name": f"{name}: queries, province vs city",
                "target": f"= {at_city['queries']} (the city's: a fixed budget)",
                "measured": page["queries"],
                "unit": "queries",
                "ok": page["queries"] <= at_city["queries"],
            }
        )
    found.append(
        {
            "name": "check-in page first load (page and its static files, gzip)",
            "target": "≤ 150 KB",
            "measured": province["check_in_first_load"]["total_kb"],
            "unit": "KB",
            "ok": province["check_in_first_load"]["total_kb"] <= 150,
        }
    )
    found.append(
        {
            "name": "app process peak RSS after serving the province pages",
            "target": "≤ 250 MB",
            "measured": province["rss_mb"],
            "unit": "MB",
            "ok": province["rss_mb"] <= 250,
        }
    )
    for name, target, unit in NOT_MEASURED:
        found.append({"name": name, "target": target, "measured": None, "unit": unit, "ok": None})
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--province-scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "latest.json"))
    args = parser.parse_args()
    scale = f"{args.province_scale:g}".replace(".", "_")
    city_db, province_db = "zhidao_bench_city", f"zhidao_bench_province_{scale}"
    build(city_db, [], args.rebuild)
    build(province_db, ["--tier", "province", "--scale", str(args.province_scale)], args.rebuild)
    print("==> city tier")
    city = measure(city_db, args.runs)
    print("==> province tier")
    province = measure(province_db, args.runs)
    table = checks(city, province)
    print()
    print(f"{'check':62} {'target':>28} {'measured':>10}  ok")
    for check in table:
        measured = "—" if check["measured"] is None else f"{check['measured']:g} {check['unit']}"
        ok = {True: "yes", False: "NO", None: "not measured"}[check["ok"]]
        print(f"{check['name'][:62]:62} {check['target'][:28]:>28} {measured:>10}  {ok}")
    result = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average": os.getloadavg(),
        },
        "runs": args.runs,
        "tiers": {
            "city": {"database": city_db, "rows": city["rows"], "baseline_ms": city["baseline_ms"]},
            "province": {
                "database": province_db,
                "scale": args.province_scale,
                "rows": province["rows"],
                "baseline_ms": province["baseline_ms"],
            },
        },
        "pages": {"city": city["pages"], "province": province["pages"]},
        "checks": table,
    }
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(f"\nwritten to {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")


if __name__ == "__main__":
    main()
