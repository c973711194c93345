"""Demo data of the standards app, on top of what `load_demo --size small` creates.

Facts from the seed report: 吉利汽车部件 became a city-level model workers' home (市级模范职工
之家), holds skills competitions and speech contests, and its worker 石艳芬 was named 芙蓉百岗明星;
the software university set up a staff congress and an independent union-fund account; the gas
company built an outdoor workers' rest station.

Dates are those of the reference calendar of `zhidao/demo/data.py` (the current term starting
2026-03-01, the seed unions' first on 2021-04-01). A load on another day has moved the terms by
whole years, so each date here moves with the term it belongs to, read from the union's own
assignments; nothing is dated after yesterday.
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

REFERENCE_FIRST_TERM_START = date(2021, 4, 1)
REFERENCE_CURRENT_TERM_START = date(2026, 3, 1)
# The later assessment of a term is this many days after its start (2026-11-18 in the
# reference term); a current term not yet that old has the previous term's assessments.
TERM_END_ASSESSMENT_DAY = (date(2026, 11, 18) - REFERENCE_CURRENT_TERM_START).days

# Awarded in the years after the union's first instructor came (reference calendar).
HONOURS = (
    (GEELY_UNION, "模范职工之家", "city", date(2022, 4, 28), ""),
    (GEELY_UNION, "芙蓉百岗明星", "city", date(2022, 4, 28), "石艳芬"),
    (UNIVERSITY_UNION, "模范职工小家", "county", date(2023, 12, 26), ""),
    (GAS_UNION, "工人先锋号", "city", date(2024, 4, 29), ""),
)

# Held in the current term (reference calendar), or a year earlier in the previous term when
# the current one has not got that far yet. "{year}" is the year it was held.
ACTIVITIES = (
    (GEELY_UNION, "skills", "{year}年度职工技能比武（焊接、装配）", date(2026, 5, 20), 126,
     "车间一线职工报名踊跃，评出技术能手12名，获奖选手优先推荐参评芙蓉百岗明星。"),
    (GEELY_UNION, "speech", "“劳动最光荣”主题演讲比赛", date(2026, 4, 28), 85,
     "围绕劳模精神、工匠精神开展演讲，12名职工参赛。"),
    (UNIVERSITY_UNION, "sports", "教职工羽毛球比赛", date(2026, 10, 16), 64,
     "在新建成的教职工羽毛球馆举行，教职工代表大会提案落地后的第一场比赛。"),
    (GAS_UNION, "training", "户外作业安全与防暑降温培训", date(2026, 7, 8), 48,
     "在户外劳动者驿站为抄表员、巡线工开展安全培训。"),
)  # fmt: skip


def _moved(reference_day: date, anchor: date, reference_anchor: date) -> date:
    """`reference_day` moved by the whole years that separate `anchor` from its reference."""
    return reference_day.replace(year=reference_day.year + anchor.year - reference_anchor.year)


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


def _assignments_of(union: Union, today: date) -> list[Assignment]:
    """The union's assignments that have started by `today`, the newest first."""
    return list(
        Assignment.objects.filter(organizations__union=union, starts_on__lte=today)
        .select_related("instructor__user")
        .order_by("-starts_on")
    )


def load_demo_standards(*, today: date, rng: random.Random) -> dict[str, int]:
    """Assessments (baseline and term end), honours and activities of the seed unions."""
    ensure_defaults()
    unions = {union.name: union for union in Union.objects.filter(name__in=BEFORE_AFTER)}
    admin = get_user_model().objects.filter(username="admin").first()
    created = {"assessments": 0, "honours": 0, "activities": 0}
    last_day = today - timedelta(days=1)
    terms = {name: _assignments_of(union, last_day) for name, union in unions.items()}
    for name, (before, after) in BEFORE_AFTER.items():
        union = unions.get(name)
        if union is None or union.assessments.exists() or not terms[name]:
            continue
        assignment, *earlier = terms[name]
        term_end_on = assignment.starts_on + timedelta(days=TERM_END_ASSESSMENT_DAY)
        if term_end_on > min(last_day, assignment.effective_end) and earlier:
            assignment = earlier[0]
            term_end_on = assignment.starts_on + timedelta(days=TERM_END_ASSESSMENT_DAY)
        indicator_set = selectors.current_indicator_set_for(union)
        indicators = selectors.indicators_of(indicator_set)
        actor = assignment.instructor.user
        baseline_on = min(assignment.starts_on + timedelta(days=rng.randint(5, 12)), last_day)
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
                assessed_on=min(term_end_on, last_day, assignment.effective_end),
                answers=_answers(indicators, after),
                notes="期末评估：组织健全、制度落实，整改项均已完成。",
                indicator_set=indicator_set,
                today=today,
            )
            created["assessments"] += 1
    titles = {title.name: title for title in HonourTitle.objects.all()}
    for name, title, level, reference_day, person in HONOURS:
        union = unions.get(name)
        if union is None or admin is None or title not in titles or not terms[name]:
            continue
        awarded_on = _moved(reference_day, terms[name][-1].starts_on, REFERENCE_FIRST_TERM_START)
        if awarded_on > last_day or union.honours.filter(title=titles[title]).exists():
            continue
        services.create_honour(
            actor=admin,
            union=union,
            title=titles[title],
            level=level,
            awarded_on=awarded_on,
            person_name=person,
            today=today,
        )
        created["honours"] += 1
    for name, kind, title, reference_day, participants, report in ACTIVITIES:
        union = unions.get(name)
        if union is None or admin is None or not terms[name]:
            continue
        held_on = _moved(reference_day, terms[name][0].starts_on, REFERENCE_CURRENT_TERM_START)
        if held_on > last_day:
            held_on = held_on.replace(year=held_on.year - 1)  # in the previous term
        title = title.format(year=held_on.year)
        if union.activities.filter(title=title).exists():
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
