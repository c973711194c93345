"""The demo's field-work history: plausible, consistent with the rules, and this week left open
for the seed instructors so that a person trying the demo does the check-in."""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import F
from django.test import TestCase

from zhidao.fieldwork.models import (
    Finding,
    FindingStatus,
    OnSiteDay,
    OnSiteDayStatus,
    PracticalMatter,
    WorkRecord,
)

from .test_load_demo import load_demo

TODAY = date(2026, 11, 25)
MONDAY = TODAY - timedelta(days=TODAY.weekday())


class TestFieldworkHistory(TestCase):
    """One load shared by the read-only checks (setUpTestData runs once per class)."""

    @classmethod
    def setUpTestData(cls):
        load_demo()

    def test_history_has_every_kind_of_day(self):
        statuses = set(OnSiteDay.objects.values_list("status", flat=True))
        assert statuses == {
            OnSiteDayStatus.CONFIRMED,
            OnSiteDayStatus.UNCONFIRMED,
            OnSiteDayStatus.DISPUTED,
        }
        confirmed = OnSiteDay.objects.filter(status=OnSiteDayStatus.CONFIRMED)
        assert not confirmed.filter(confirmed_at__isnull=True).exists()
        disputed = OnSiteDay.objects.filter(status=OnSiteDayStatus.DISPUTED)
        assert not disputed.filter(dispute_reason="").exists()

    def test_days_lie_inside_their_assignment_and_never_in_the_future(self):
        assert not OnSiteDay.objects.filter(on_date__gt=TODAY).exists()
        assert not OnSiteDay.objects.filter(on_date__lt=F("assignment__starts_on")).exists()
        assert not OnSiteDay.objects.filter(on_date__gt=F("assignment__ends_on")).exists()

    def test_seed_instructors_have_this_week_still_to_do(self):
        assert not OnSiteDay.objects.filter(
            instructor__name__in=["欧阳新建", "邹谦", "彭东贵"], on_date__gte=MONDAY
        ).exists()
        assert OnSiteDay.objects.filter(
            instructor__name="欧阳新建", organization__name="湖南吉利汽车部件有限公司"
        ).exists()

    def test_late_records_are_exactly_those_beyond_the_deadline(self):
        deadline = settings.RECORD_PROMPT_DAYS
        records = list(WorkRecord.objects.values_list("worked_on", "recorded_on", "is_late"))
        assert records
        assert all(
            late == ((recorded - worked).days > deadline) for worked, recorded, late in records
        )
        assert any(late for *_, late in records)

    def test_findings_have_their_transitions_and_seed_matters_exist(self):
        finding = Finding.objects.filter(status=FindingStatus.CLOSED).first()
        assert finding is not None
        steps = list(finding.transitions.values_list("to_status", flat=True))
        assert steps[0] == FindingStatus.OPEN and steps[-1] == FindingStatus.CLOSED
        titles = set(PracticalMatter.objects.values_list("title", flat=True))
        assert {"职工食堂改造升级", "教职工羽毛球馆建设", "户外劳动者驿站建设"} <= titles
