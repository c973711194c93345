from datetime import date
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from tests import factories
from tests.reports.conftest import on_site
from zhidao.audit.models import AccessEvent, AccessEventKind
from zhidao.reports import services
from zhidao.reports.models import QuarterlyReport, ReportStatus

pytestmark = pytest.mark.django_db


def _submitted(mine, quarter=3):
    report = services.create_or_get_draft(
        actor=mine["instructor_user"], assignment=mine["assignment"], year=2026, quarter=quarter
    )
    services.update_narrative(
        actor=mine["instructor_user"],
        report=report,
        work_done="走访调研12家企业",
        problems="职工参与度不高",
        next_plan="推动召开职代会",
    )
    return services.submit_report(actor=mine["instructor_user"], report=report)


def test_instructor_drafts_a_report_from_the_page(client, q3_records):
    client.force_login(q3_records["instructor_user"])
    response = client.post(
        reverse("reports:report_draft"),
        {"assignment": q3_records["assignment"].pk, "year": 2026, "quarter": 3},
    )
    report = QuarterlyReport.objects.get()
    assert response.url == reverse("reports:report_detail", args=[report.pk])
    page = client.get(response.url).content.decode()
    assert "2026年第三季度工作报告" in page
    assert "刷新数据" in page


def test_narrative_edit_is_saved_and_kept(client, world):
    mine = world["mine"]
    report = services.create_or_get_draft(
        actor=mine["instructor_user"], assignment=mine["assignment"], year=2026, quarter=3
    )
    client.force_login(mine["instructor_user"])
    client.post(
        reverse("reports:report_edit", args=[report.pk]),
        {"work_done": "开展技能比武", "problems": "无", "next_plan": "演讲比赛"},
    )
    report.refresh_from_db()
    assert report.work_done == "开展技能比武"


def test_admin_returns_and_approves_through_the_pages(client, world):
    mine = world["mine"]
    report = _submitted(mine)
    client.force_login(mine["admin"])
    client.post(reverse("reports:report_action", args=[report.pk, "return"]), {"comment": ""})
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    client.post(
        reverse("reports:report_action", args=[report.pk, "return"]), {"comment": "请补充数据"}
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED


def test_leader_cannot_approve_through_the_page(client, world):
    report = _submitted(world["mine"])
    client.force_login(world["mine"]["leader"])
    response = client.post(reverse("reports:report_action", args=[report.pk, "approve"]))
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


@pytest.mark.parametrize("name", ["report_detail", "report_download", "report_edit"])
def test_other_scope_gets_404(client, world, name):
    report = _submitted(world["mine"])
    client.force_login(world["other"]["admin"])
    assert client.get(reverse(f"reports:{name}", args=[report.pk])).status_code == 404


def test_officer_does_not_see_reports(client, world):
    report = _submitted(world["mine"])
    client.force_login(world["mine"]["officer"])
    assert client.get(reverse("reports:report_detail", args=[report.pk])).status_code == 404


def test_list_filters_late_reports(client, world):
    mine = world["mine"]
    _submitted(mine, quarter=3)  # late (due 2026-10-10)
    services.create_or_get_draft(
        actor=mine["instructor_user"], assignment=mine["assignment"], year=2026, quarter=4
    )
    client.force_login(mine["admin"])
    page = client.get(reverse("reports:report_list"), {"is_late": "true"})
    assert [r.quarter for r in page.context["page_obj"]] == [3]
    page = client.get(reverse("reports:report_list"), {"is_late": "false"})
    assert [r.quarter for r in page.context["page_obj"]] == [4]


def test_docx_has_the_title_headings_and_figures(client, q3_records):
    report = _submitted(q3_records)
    client.force_login(q3_records["admin"])
    response = client.get(reverse("reports:report_download", args=[report.pk]))
    document = Document(BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "湘潭指导员2026年第三季度工作报告"
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        "一、本季度数据",
        "二、工作开展情况",
        "三、存在的问题和困难",
        "四、下季度工作计划",
    ]
    figures = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert figures["驻点天数"] == "4"
    assert figures["待确认天数"] == "1"
    assert figures["办成实事"] == "2"
    assert figures["惠及职工"] == "150"
    weeks = [[c.text for c in row.cells] for row in document.tables[1].rows]
    assert [weeks[4][0][-3:], *weeks[4][1:]] == ["W30", "未达标", "—", "07-22", "—"]
    duties = [[c.text for c in row.cells] for row in document.tables[2].rows]
    assert duties[1] == ["调查研究", "2", "07-06、07-15"]
    footer_xml = document.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer_xml
    assert AccessEvent.objects.filter(kind=AccessEventKind.EXPORT).exists()


def test_rollup_xlsx_has_header_rows_and_totals(client, q3_records, world):
    _submitted(q3_records)
    second = factories.make_assignment(
        instructor=factories.InstructorFactory(name="第二指导员", federation=q3_records["city"]),
        organizations=[q3_records["organization"]],
        batch=q3_records["batch"],
    )
    on_site(second, date(2026, 8, 4))
    services.create_or_get_draft(
        actor=second.instructor.user, assignment=second, year=2026, quarter=3
    )
    _submitted(world["other"])
    client.force_login(q3_records["admin"])
    response = client.get(reverse("reports:report_rollup"), {"year": 2026, "quarter": 3})
    sheet = load_workbook(BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["工会指导员", "两新组织", "状态", "逾期提交"]
    assert sheet.freeze_panes == "C2"  # the header and the instructor and organization columns
    assert sheet.max_row == 4  # header, two reports of 湘潭, totals
    rows = {sheet.cell(row=r, column=1).value: r for r in range(2, 5)}
    column = header.index("驻点天数") + 1
    assert sheet.cell(row=rows["湘潭指导员"], column=column).value == 4
    assert sheet.cell(row=rows["合计"], column=column).value == 4 + 1
    assert sheet.column_dimensions["B"].width >= len("湘潭测试有限公司") * 2


def _list_queries(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("reports:report_list")).status_code == 200
    return len(queries)


def test_list_query_count_does_not_grow_with_rows(client, world):
    mine = world["mine"]
    _submitted(mine)
    one = _list_queries(client, mine["admin"])
    for n in range(29):
        instructor = factories.InstructorFactory(name=f"指导员{n}", federation=mine["city"])
        assignment = factories.make_assignment(
            instructor=instructor, organizations=[mine["organization"]], batch=mine["batch"]
        )
        services.create_or_get_draft(
            actor=instructor.user, assignment=assignment, year=2026, quarter=3
        )
    assert QuarterlyReport.objects.count() == 30
    assert _list_queries(client, mine["admin"]) == one


def test_the_docx_and_the_roll_up_are_audited_as_exports_by_the_user(client, q3_records):
    report = _submitted(q3_records)
    admin = q3_records["admin"]
    client.force_login(admin)
    client.get(reverse("reports:report_download", args=[report.pk]))
    client.get(reverse("reports:report_rollup"), {"year": 2026, "quarter": 3})
    exports = AccessEvent.objects.filter(kind=AccessEventKind.EXPORT)
    assert sorted(exports.values_list("user", "username", "detail")) == [
        (admin.pk, admin.username, f"quarterly report {report.pk}"),
        (admin.pk, admin.username, "report roll-up 2026Q3"),
    ]
