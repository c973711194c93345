"""Two cities with region codes, a district, their admins, and helpers that build uploads."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from tests import factories
from zhidao.imports.kinds import get_kind
from zhidao.imports.template_workbook import header_text
from zhidao.orgs import services as org_services
from zhidao.orgs.models import FederationLevel


@pytest.fixture
def tree(db):
    province = org_services.create_federation(
        name="湖南省总工会", level=FederationLevel.PROVINCE, region_code="430000"
    )
    city = org_services.create_federation(
        name="湘潭市总工会", level=FederationLevel.CITY, parent=province, region_code="430300"
    )
    yuhu = org_services.create_federation(
        name="雨湖区总工会", level=FederationLevel.DISTRICT, parent=city, region_code="430302"
    )
    yuetang = org_services.create_federation(
        name="岳塘区总工会", level=FederationLevel.DISTRICT, parent=city, region_code="430304"
    )
    zhuzhou = org_services.create_federation(
        name="株洲市总工会", level=FederationLevel.CITY, parent=province, region_code="430200"
    )
    return {
        "province": province,
        "city": city,
        "yuhu": yuhu,
        "yuetang": yuetang,
        "zhuzhou": zhuzhou,
        "admin": factories.federation_admin(city, username="xt_admin"),
        "yuhu_admin": factories.federation_admin(yuhu, username="yh_admin"),
        "zhuzhou_admin": factories.federation_admin(zhuzhou, username="zz_admin"),
        "leader": factories.federation_leader(city),
    }


def headers(kind_key: str) -> list[str]:
    return [header_text(column) for column in get_kind(kind_key).columns]


def xlsx(rows: list[list], header: list[str] | None = None, *, kind="organizations", name=None):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header if header is not None else headers(kind))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name or f"{kind}.xlsx", buffer.getvalue())


def csv_upload(rows: list[list], *, encoding: str, kind="organizations", name="data.csv"):
    lines = [",".join(headers(kind))] + [",".join(str(cell) for cell in row) for row in rows]
    return SimpleUploadedFile(name, ("\r\n".join(lines) + "\r\n").encode(encoding))


def org_row(code: str, name="湘潭示例科技有限公司", federation="雨湖区总工会", **overrides):
    """An organization row in the template's column order."""
    values = {
        "name": name,
        "credit_code": code,
        "kind": "新经济组织",
        "sub_kind": "民营企业",
        "industry": "C 制造业",
        "federation": federation,
        "district": "雨湖区",
        "address": "湘潭市雨湖区示例路1号",
        "latitude": "",
        "longitude": "",
        "employee_count": "120",
        "status": "",
    }
    values.update(overrides)
    return [values[column.key] for column in get_kind("organizations").columns]


def federation_row(name, parent, level="县（市、区）级", region_code="", short_name=""):
    values = {
        "name": name,
        "short_name": short_name,
        "level": level,
        "parent": parent,
        "region_code": region_code,
    }
    return [values[column.key] for column in get_kind("federations").columns]
