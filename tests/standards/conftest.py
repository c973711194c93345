from datetime import date
from decimal import Decimal

import pytest
import time_machine

from zhidao.standards import services
from zhidao.standards.models import Indicator, IndicatorCategory, IndicatorSet, RuleKind

TODAY = date(2026, 11, 25)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        yield


@pytest.fixture
def fixture_set(db):
    """Three rules, weights 20 + 30 + 50: yes/no, level 0–3, number with thresholds."""
    indicator_set = IndicatorSet.objects.create(name="测试指标", federation=None)
    organization = IndicatorCategory.objects.create(
        indicator_set=indicator_set, name="组织建设", position=0
    )
    activity = IndicatorCategory.objects.create(
        indicator_set=indicator_set, name="阵地与活动", position=1
    )
    committee = Indicator.objects.create(
        indicator_set=indicator_set,
        category=organization,
        code="committee",
        text="工会委员会依法选举产生",
        weight=Decimal(20),
        rule=RuleKind.YES_NO,
        finding_category="organization",
    )
    rules = Indicator.objects.create(
        indicator_set=indicator_set,
        category=organization,
        code="rules",
        text="规章制度落实",
        weight=Decimal(30),
        rule=RuleKind.LEVEL,
        level_labels=["未建立", "已建立", "部分落实", "全面落实"],
        position=1,
    )
    rate = Indicator.objects.create(
        indicator_set=indicator_set,
        category=activity,
        code="membership_rate",
        text="职工入会率",
        weight=Decimal(50),
        rule=RuleKind.NUMBER,
        thresholds=[[0, 0], [60, 20], [80, 35], [95, 50]],
        unit="%",
    )
    return {"set": indicator_set, "committee": committee, "rules": rules, "rate": rate}


def answers(fixture_set, *, yes=True, level=2, number=Decimal("85")):
    return {
        fixture_set["committee"].pk: {"yes": yes},
        fixture_set["rules"].pk: {"level": level},
        fixture_set["rate"].pk: {"number": number},
    }


def assess(side, fixture_set, *, kind="baseline", assessed_on=TODAY, **kwargs):
    return services.create_assessment(
        actor=side["instructor_user"],
        union=side["union"],
        kind=kind,
        assessed_on=assessed_on,
        answers=kwargs.pop("answers", None) or answers(fixture_set, **kwargs),
        indicator_set=fixture_set["set"],
    )
