"""Issue "one truth for every figure", done when: on the demo, as `admin`, for every quarter of
the current term, the dashboard's rows add up; its on-site days equal the distinct confirmed
(assignment, day) pairs of the quarter in the on-site-day API; its work records equal the
work-record API's count for those dates; its weeks equal the sum of the quarter's reports; and
the upward report has the same numbers in its API, .xlsx and .docx."""

from io import BytesIO

import time_machine
from django.test import TestCase
from docx import Document
from openpyxl import load_workbook
from rest_framework.test import APIClient

from zhidao.accounts.models import User
from zhidao.figures.definitions import ADDITIVE_KEYS
from zhidao.figures.periods import Period

from .test_load_demo import TODAY, load_demo

WEEK_KEYS = ("weeks_required", "weeks_met", "weeks_missed", "weeks_exempt", "weeks_pending")


class TestFiguresOnTheDemo(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()

    def setUp(self):
        traveller = time_machine.travel(TODAY, tick=False)
        traveller.start()
        self.addCleanup(traveller.stop)
        self.api = APIClient()
        self.api.force_authenticate(User.objects.get(username="admin"))

    def _all(self, url: str, params: dict) -> list[dict]:
        rows, page = [], 1
        while True:
            data = self.api.get(url, {**params, "page": page, "page_size": 200}).json()
            rows += data["results"]
            if not data["next"]:
                return rows
            page += 1

    def _quarters(self):
        term_start = Period.quarter(2026, 1).first  # the current term began on 1 March 2026
        return [q for q in [Period.quarter(2026, n) for n in (1, 2, 3, 4)] if q.last >= term_start]

    def test_every_quarter_of_the_term_adds_up_and_matches_the_lists_and_the_reports(self):
        for quarter in self._quarters():
            with self.subTest(quarter=quarter.key):
                dashboard = self.api.get("/api/dashboard/", {"quarter": quarter.key}).json()
                totals = dashboard["totals"]
                assert dashboard["as_of"]
                assert len(dashboard["breakdown"]) == 8  # seven districts and 本级直属
                for key in ADDITIVE_KEYS:
                    assert sum(row[key] for row in dashboard["breakdown"]) == totals[key], key

                dates = {"date_from": quarter.first, "date_to": quarter.last}
                days = self._all("/api/on-site-days/", {**dates, "status": "confirmed"})
                assert totals["on_site_days"] == len(
                    {(d["assignment"], d["on_date"]) for d in days}
                )
                assert totals["site_visits"] == len(days)
                records = self.api.get(
                    "/api/work-records/",
                    {"worked_after": quarter.first, "worked_before": quarter.last},
                ).json()
                assert totals["work_records"] == records["count"] > 0

                reports = self._all(
                    "/api/quarterly-reports/",
                    {"year": quarter.year_number, "quarter": quarter.quarter_number},
                )
                if quarter.last < TODAY.date():  # a quarter that has ended has its reports
                    assert len(reports) == totals["assignments"]
                    for key in WEEK_KEYS:
                        reported = sum(r["figures"]["counts"][key] for r in reports)
                        assert reported == totals[key], key

    def test_the_upward_report_has_the_same_numbers_in_every_form(self):
        quarter = Period.quarter(2026, 3)
        params = {"period": quarter.key}
        dashboard = self.api.get("/api/dashboard/", {"quarter": quarter.key}).json()["totals"]
        report = self.api.get("/api/upward-report/", params).json()
        for key in ("weeks_met", "weeks_missed", "on_site_days", "work_records", "matters_done"):
            assert report["total"][key] == dashboard[key], key
        self.client.force_login(User.objects.get(username="admin"))
        sheet = load_workbook(
            BytesIO(self.client.get("/reports/statistics/report.xlsx", params).content)
        ).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        header = next(i for i, row in enumerate(rows) if "驻点天数" in row)
        total = next(row for row in rows[header:] if row[0] == "合计")
        assert total[list(rows[header]).index("驻点天数")] == dashboard["on_site_days"]
        document = Document(
            BytesIO(self.client.get("/reports/statistics/report.docx", params).content)
        )
        onsite = document.tables[1]
        column = [c.text for c in onsite.rows[0].cells].index("驻点天数")
        assert onsite.rows[-1].cells[column].text == str(dashboard["on_site_days"])
