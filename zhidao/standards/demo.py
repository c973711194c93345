"""Demo data of the standards app, on top of what `load_demo --size small` creates.

Facts from the seed report: 吉利汽车部件 became a city-level model workers' home (市级模范职工
之家), holds skills competitions and speech contests, and its worker 石艳芬 was named 芙蓉百岗明星;
the software university set up a staff congress and an independent union-fund account; the gas
company built an outdoor workers' rest station.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model

from zhidao.dispatch.models import Assignment
from zhidao.orgs.models import Union

from . import selectors, services
from .defaults import ensure_defaults
from .models import HonourTitle, RuleKind

GEELY_UNION = "湖南吉利汽车部件有限公司工会"
UNIVERSITY_UNION = "湖南软件职业技术大学工会"
GAS_UNION = "湘潭莲城燃气有限公司工会"

# Per union: the answers at the baseline and at the later assessment, by indicator code.
# yes/no as bool, levels as int, numbers as Decimal.
BEFORE_AFTER = {
    GEELY_UNION: (
        {
            "committee": True,
            "women": False,
            "fund_audit": False,
            "membership_rate": Decimal("78"),
            "rules": 1,
            "congress": False,
            "contract": True,
            "fund_account": False,
            "dues": True,
            "workers_home": 2,
            "activities": Decimal("2"),
            "rights_channel": True,
            "affairs_public": False,
        },
        {
            "committee": True,
            "women": True,
            "fund_audit": True,
            "membership_rate": Decimal("93"),
            "rules": 3,
            "congress": True,
            "contract": True,
            "fund_account": True,
            "dues": True,
            "workers_home": 3,
            "activities": Decimal("6"),
            "rights_channel": True,
            "affairs_public": True,
        },
    ),
    UNIVERSITY_UNION: (
        {
            "committee": True,
            "women": True,
            "fund_audit": False,
            "membership_rate": Decimal("88"),
            "rules": 1,
            "congress": False,
            "contract": False,
            "fund_account": False,
            "dues": True,
            "workers_home": 1,
            "activities": Decimal("3"),
            "rights_channel": True,
            "affairs_public": False,
        },
        {
            "committee": True,
            "women": True,
            "fund_audit": True,
            "membership_rate": Decimal("96"),
            "rules": 2,
            "congress": True,
            "contract": True,
            "fund_account": True,
            "dues": True,
            "workers_home": 2,
            "activities": Decimal("5"),
            "rights_channel": True,
            "affairs_public": True,
        },
    ),
    GAS_UNION: (
        {
            "committee": True,
            "women": False,
            "fund_audit": False,
            "membership_rate": Decimal("65"),
            "rules": 1,
            "congress": False,
            "contract": False,
            "fund_account": True,
            "dues": True,
            "workers_home": 1,
            "activities": Decimal("1"),
            "rights_channel": False,
            "affairs_public": False,
        },
        None,
    ),
}

HONOURS = (
    (GEELY_UNION, "模范职工之家", "city", 2022, ""),
    (GEELY_UNION, "芙蓉百岗明星", "city", 2022, "石艳芬"),
    (UNIVERSITY_UNION, "模范职工小家", "county", 2023, ""),
    (GAS_UNION, "工人先锋号", "city", 2024, ""),
)

ACTIVITIES = (
    (GEELY_UNION, "skills", "2026年度职工技能比武（焊接、装配）", date(2026, 5, 20), 126,
     "车间一线职工报名踊跃，评出技术能手12名，获奖选手优先推荐参评芙蓉百岗明星。"),
    (GEELY_UNION, "speech", "“劳动最光荣”主题演讲比赛", date(2026, 4, 28), 85,
     "围绕劳模精神、工匠精神开展演讲，12名职工参赛。"),
    (UNIVERSITY_UNION, "sports", "教职工羽毛球比赛", date(2026, 10, 16), 64,
     "在新建成的教职工羽毛球馆举行，教职工代表大会提案落地后的第一场比赛。"),
    (GAS_UNION, "training", "户外作业安全与防暑降温培训", date(2026, 7, 8), 48,
     "在户外劳动者驿站为抄表员、巡线工开展安全培训。"),
)  # fmt: skip


def _answers(indicators, values: dict) -> dict[int, dict]:
    answers = {}
    for indicator in indicators:
        value = values.get(indicator.code)
        if indicator.rule == RuleKind.YES_NO:
            answers[indicator.pk] = {"yes": bool(value)}
        elif indicator.rule == RuleKind.LEVEL:
            answers[indicator.pk] = {"level": min(int(value or 0), indicator.max_level)}
        else:
            answers[indicator.pk] = {"number": Decimal(value or 0)}
    return answers


def _current_assignment(union: Union, today: date) -> Assignment | None:
    return (
        Assignment.objects.filter(
            organizations__union=union, starts_on__lte=today, ends_on__gte=today
        )
        .select_related("instructor__user")
        .order_by("-starts_on")
        .first()
    )


def load_demo_standards(*, today: date, rng: random.Random) -> dict[str, int]:
    """Assessments (baseline and term end), honours and activities of the seed unions."""
    ensure_defaults()
    unions = {union.name: union for union in Union.objects.filter(name__in=BEFORE_AFTER)}
    admin = get_user_model().objects.filter(username="admin").first()
    created = {"assessments": 0, "honours": 0, "activities": 0}
    for name, (before, after) in BEFORE_AFTER.items():
        union = unions.get(name)
        if union is None or union.assessments.exists():
            continue
        assignment = _current_assignment(union, today)
        if assignment is None:
            continue
        indicator_set = selectors.current_indicator_set_for(union)
        indicators = selectors.indicators_of(indicator_set)
        actor = assignment.instructor.user
        baseline_on = assignment.starts_on + timedelta(days=rng.randint(5, 12))
        services.create_assessment(
            actor=actor,
            union=union,
            kind="baseline",
            assessed_on=baseline_on,
            answers=_answers(indicators, before),
            notes="派驻初期摸底评估。",
            indicator_set=indicator_set,
            today=today,
        )
        created["assessments"] += 1
        if after is not None:
            services.create_assessment(
                actor=actor,
                union=union,
                kind="term_end",
                assessed_on=min(date(2026, 11, 18), today),
                answers=_answers(indicators, after),
                notes="期末评估：组织健全、制度落实，整改项均已完成。",
                indicator_set=indicator_set,
                today=today,
            )
            created["assessments"] += 1
    titles = {title.name: title for title in HonourTitle.objects.all()}
    for name, title, level, year, person in HONOURS:
        union = unions.get(name)
        if union is None or admin is None or title not in titles:
            continue
        if union.honours.filter(title=titles[title], year=year).exists():
            continue
        services.create_honour(
            actor=admin,
            union=union,
            title=titles[title],
            level=level,
            year=year,
            person_name=person,
        )
        created["honours"] += 1
    for name, kind, title, held_on, participants, report in ACTIVITIES:
        union = unions.get(name)
        if union is None or admin is None or union.activities.filter(title=title).exists():
            continue
        services.create_activity(
            actor=admin,
            union=union,
            kind=kind,
            title=title,
            held_on=held_on,
            participant_count=participants,
            report=report,
            today=today,
        )
        created["activities"] += 1
    return created
