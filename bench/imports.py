"""Time and memory of a 100,000-row organization import (issue 11), measured, never asserted.

Usage, on a PostgreSQL database of its own (it migrates it and adds a federation tree, an admin
and the organizations; drop it afterwards):

    .venv/bin/python scripts/pg_throwaway.py create zhidao_bench_imports
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/zhidao_bench_imports \\
        .venv/bin/python bench/imports.py --rows 100000
    .venv/bin/python scripts/pg_throwaway.py drop zhidao_bench_imports

It writes a workbook of valid, unique credit codes and plausible names, then runs the service
path a federation admin's upload takes: check_upload (read-only openpyxl, the checks, the
preview; in the background task, run eagerly here) and confirm_import (the re-check and the bulk
writes in one transaction), then re-checks the same file (every row unchanged) and exports the
rows. Prints seconds per phase and the peak resident memory of the process.
"""

import argparse
import io
import os
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhidao.settings.dev")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from zhidao.accounts.models import Role, RoleGrant, User  # noqa: E402
from zhidao.imports import services  # noqa: E402
from zhidao.imports.exporting import export_workbook  # noqa: E402
from zhidao.imports.kinds import get_kind  # noqa: E402
from zhidao.imports.template_workbook import header_text  # noqa: E402
from zhidao.orgs import services as org_services  # noqa: E402
from zhidao.orgs.models import Federation, FederationLevel, Organization  # noqa: E402
from zhidao.orgs.validators import make_credit_code  # noqa: E402

CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: no I, O, S, V, Z
DISTRICTS = [("430302", "雨湖区"), ("430304", "岳塘区"), ("430321", "湘潭县"), ("430381", "湘乡市")]
TRADE_NAMES = [
    "华盛",
    "鑫达",
    "恒通",
    "金源",
    "宏发",
    "顺和",
    "永安",
    "兴隆",
    "瑞丰",
    "天成",
    "长盛",
    "博远",
    "中联",
    "锦程",
    "新航",
    "远大",
]
BUSINESSES = [
    ("科技有限公司", "民营企业", "I 信息传输、软件和信息技术服务业"),
    ("机械制造有限公司", "民营企业", "C 制造业"),
    ("商贸有限公司", "民营企业", "F 批发和零售业"),
    ("物流有限公司", "民营企业", "G 交通运输、仓储和邮政业"),
    ("建筑工程有限公司", "民营企业", "E 建筑业"),
    ("餐饮管理有限公司", "个体工商户", "H 住宿和餐饮业"),
]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def credit_code(number: int) -> str:
    digits = ""
    for _ in range(9):
        number, remainder = divmod(number, len(CODE_ALPHABET))
        digits = CODE_ALPHABET[remainder] + digits
    return make_credit_code(f"91430300{digits}")


def workbook_bytes(rows: int, seed: int) -> bytes:
    rng = random.Random(seed)
    kind = get_kind("organizations")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("两新组织")
    sheet.append([header_text(column) for column in kind.columns])
    for number in range(rows):
        code, district = DISTRICTS[number % len(DISTRICTS)]
        suffix, sub_kind, industry = rng.choice(BUSINESSES)
        name = f"湘潭{district[:2]}{rng.choice(TRADE_NAMES)}{number:06d}{suffix}"
        values = {
            "name": name,
            "credit_code": credit_code(number + 1),
            "kind": "新经济组织",
            "sub_kind": sub_kind,
            "industry": industry,
            "federation": f"{district}总工会",
            "district": district,
            "address": f"湘潭市{district}示例路{rng.randint(1, 999)}号",
            "latitude": f"{27.8 + rng.random() / 5:.6f}",
            "longitude": f"{112.8 + rng.random() / 5:.6f}",
            "employee_count": str(rng.randint(3, 800)),
            "status": "",
        }
        sheet.append([values[column.key] for column in kind.columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def federation_tree() -> User:
    city = Federation.objects.filter(region_code="430300").first()
    if city is None:
        city = org_services.create_federation(
            name="湘潭市总工会", level=FederationLevel.CITY, region_code="430300"
        )
        for code, name in DISTRICTS:
            org_services.create_federation(
                name=f"{name}总工会",
                level=FederationLevel.DISTRICT,
                parent=city,
                region_code=code,
            )
    admin, created = User.objects.get_or_create(username="bench_admin")
    if created:
        RoleGrant.objects.create(user=admin, role=Role.FEDERATION_ADMIN, federation=city)
    return admin


def timed(label: str, function):
    start = time.perf_counter()
    result = function()
    print(f"{label:38} {time.perf_counter() - start:8.1f} s   peak RSS {peak_rss_mb():7.0f} MB")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    admin = federation_tree()
    Organization.objects.unscoped().filter(credit_code__startswith="91430300").delete()
    kind = get_kind("organizations")
    content = timed(
        f"write the workbook ({options.rows} rows)",
        lambda: workbook_bytes(options.rows, options.seed),
    )
    print(f"{'':38} {len(content) / 1024 / 1024:8.1f} MB file")

    def upload():
        return SimpleUploadedFile("bench.xlsx", content)

    job = timed(
        "check (read, check, preview)",
        lambda: services.check_upload(actor=admin, kind=kind, upload=upload()),
    )
    job.refresh_from_db()
    assert job.status == "checked" and not job.errors, (job.status, job.errors[:3], job.failure)
    job = timed(
        "confirm (re-check, bulk writes)", lambda: services.confirm_import(actor=admin, job=job)
    )
    job.refresh_from_db()
    assert job.status == "done", job.failure
    written = Organization.objects.unscoped().filter(credit_code__startswith="91430300").count()
    print(f"{'':38} {written} organizations written")
    again = timed(
        "re-check the same file (all unchanged)",
        lambda: services.check_upload(actor=admin, kind=kind, upload=upload()),
    )
    again.refresh_from_db()
    print(f"{'':38} {again.unchanged_count} unchanged, {again.created_count} to create")
    exported = timed("export (write-only workbook)", lambda: export_workbook(kind, admin))
    print(f"{'':38} {len(exported) / 1024 / 1024:8.1f} MB file")


if __name__ == "__main__":
    main()
