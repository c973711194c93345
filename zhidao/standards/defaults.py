"""The default indicator set (规范化建设指标), written by a data migration.

Weights add up to 100. The items follow the standardization duties of the seed report:
organization complete, rules in use, independent union-fund account, workers' congress,
model workers' home, activities, rights protection and union affairs made public.
"""

YES_NO = "yes_no"
LEVEL = "level"
NUMBER = "number"

DEFAULT_SET_NAME = "基层工会规范化建设指标"

DEFAULT_CATEGORIES = [
    (
        "组织建设",
        [
            ("committee", "工会委员会依法选举产生，工会主席到位", YES_NO, 8, {}, "organization"),
            ("women", "建立女职工委员会", YES_NO, 5, {}, "organization"),
            ("fund_audit", "建立经费审查委员会", YES_NO, 5, {}, "organization"),
            (
                "membership_rate",
                "职工入会率",
                NUMBER,
                10,
                {"unit": "%", "thresholds": [[0, 0], [60, 4], [80, 7], [95, 10]]},
                "organization",
            ),
        ],
    ),
    (
        "制度建设",
        [
            (
                "rules",
                "工会规章制度健全并落实",
                LEVEL,
                8,
                {"level_labels": ["未建立", "已建立未执行", "部分落实", "全面落实"]},
                "rules",
            ),
            ("congress", "本年度召开职工（教职工）代表大会", YES_NO, 8, {}, "congress"),
            ("contract", "签订集体合同，开展工资集体协商", YES_NO, 8, {}, "rights"),
        ],
    ),
    (
        "经费保障",
        [
            ("fund_account", "设立工会经费独立账户", YES_NO, 8, {}, "fund_account"),
            ("dues", "按规定收缴会费、拨缴经费", YES_NO, 6, {}, "fund_account"),
        ],
    ),
    (
        "阵地与活动",
        [
            (
                "workers_home",
                "职工之家（活动阵地）建设",
                LEVEL,
                8,
                {
                    "level_labels": [
                        "无活动场所",
                        "有活动场所",
                        "设施齐全常态使用",
                        "获评模范职工之家",
                    ]
                },
                "other",
            ),
            (
                "activities",
                "本年度开展职工活动次数",
                NUMBER,
                10,
                {"unit": "次", "thresholds": [[0, 0], [2, 4], [4, 7], [6, 10]]},
                "other",
            ),
        ],
    ),
    (
        "维权与会务公开",
        [
            ("rights_channel", "职工维权渠道畅通（意见箱、接待日、热线）", YES_NO, 8, {}, "rights"),
            (
                "affairs_public",
                "会务公开：经费收支、重大事项向会员公开",
                YES_NO,
                8,
                {},
                "affairs_public",
            ),
        ],
    ),
]


def seed_default_indicator_set(indicator_set_model, category_model, indicator_model):
    """Create the platform-wide default set unless one exists; models are passed in so that a
    migration can call this with its historical models."""
    if indicator_set_model.objects.filter(federation__isnull=True, name=DEFAULT_SET_NAME).exists():
        return indicator_set_model.objects.filter(
            federation__isnull=True, name=DEFAULT_SET_NAME, is_current=True
        ).first()
    indicator_set = indicator_set_model.objects.create(
        name=DEFAULT_SET_NAME, version=1, is_current=True, federation=None
    )
    for category_position, (category_name, indicators) in enumerate(DEFAULT_CATEGORIES):
        category = category_model.objects.create(
            indicator_set=indicator_set, name=category_name, position=category_position
        )
        for position, (code, text, rule, weight, extra, finding_category) in enumerate(indicators):
            indicator_model.objects.create(
                indicator_set=indicator_set,
                category=category,
                code=code,
                text=text,
                rule=rule,
                weight=weight,
                level_labels=extra.get("level_labels", []),
                thresholds=extra.get("thresholds", []),
                unit=extra.get("unit", ""),
                finding_category=finding_category,
                position=position,
            )
    return indicator_set


DEFAULT_HONOUR_TITLES = [
    ("模范职工之家", "union"),
    ("模范职工小家", "union"),
    ("工人先锋号", "union"),
    ("五一劳动奖状", "union"),
    ("芙蓉百岗明星", "worker"),
    ("五一劳动奖章", "worker"),
    ("劳动模范", "worker"),
    ("优秀工会工作者", "worker"),
]


def ensure_defaults() -> None:
    """The default set and honour titles, again: a database flush (manage.py flush, or a
    transactional test) removes what the data migration seeded."""
    from .models import HonourTitle, Indicator, IndicatorCategory, IndicatorSet

    seed_default_indicator_set(IndicatorSet, IndicatorCategory, Indicator)
    for position, (name, recipient) in enumerate(DEFAULT_HONOUR_TITLES):
        HonourTitle.objects.get_or_create(
            name=name, defaults={"recipient": recipient, "position": position}
        )
