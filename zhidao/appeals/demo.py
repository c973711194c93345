"""Demo data of the appeals app (poster tokens, appeals and their timelines), on top of what
`load_demo --size small` creates.

Appeals are received over the last weeks, never today: every step of a timeline lies before the
start of the load day, so nothing is in the future whatever the hour and the same seed on the
same day gives the same appeals. An appeal too recent for its planned state stops earlier.
"""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from zhidao.dispatch.models import AssignmentStatus
from zhidao.orgs.models import Organization

from .models import Appeal, AppealEvent, AppealEventKind, AppealState, MessageSender
from .public_selectors import current_instructor
from .public_services import current_poster_token, submit_appeal
from .sla import compute_deadlines

GEELY = "湖南吉利汽车部件有限公司"
GAS = "湘潭莲城燃气有限公司"

# (organization, category, text, anonymous, state, days ago)
FIXED = (
    (
        GEELY,
        "wages",
        "车间部分劳务派遣工已经两个月没有发工资了，问班组长说等等，一直没有消息。",
        True,
        AppealState.IN_PROGRESS,
        2,
    ),
    (
        GAS,
        "enterprise_difficulty",
        "公司的保险执照资质下个月到期，续办材料不清楚，担心影响经营，希望工会帮忙协调有关部门。",
        False,
        AppealState.RESOLVED,
        9,
    ),
)
# Received at most this many days before the load day.
OLDEST_DAYS_AGO = 80
TEXTS = {
    "wages": "加班费没有按规定计算，希望核实。",
    "labour_contract": "入职三个月了还没签劳动合同。",
    "social_insurance": "公司只按最低基数缴纳社保。",
    "working_hours": "旺季连续上班十几天没有休息。",
    "safety_health": "车间通风不好，粉尘较大，希望配发口罩。",
    "welfare": "夜班没有夜餐补贴，希望工会反映。",
    "management_dispute": "被无故调岗降薪，和主管沟通没有结果。",
    "enterprise_difficulty": "企业招工难，希望工会帮助对接职业院校。",
    "suggestion": "建议在厂区增设职工书屋和母婴室。",
    "other": "想咨询工会会员有哪些权益。",
}
STATES = (
    AppealState.RECEIVED,
    AppealState.ACCEPTED,
    AppealState.IN_PROGRESS,
    AppealState.RESOLVED,
    AppealState.CLOSED,
    AppealState.CLOSED,
    AppealState.REJECTED,
)
# Hours after receipt at which each state's last step is taken (_advance).
HOURS_TO_REACH = {
    AppealState.RECEIVED: 0,
    AppealState.ACCEPTED: 5,
    AppealState.IN_PROGRESS: 24,
    AppealState.RESOLVED: 144,
    AppealState.CLOSED: 168,
    AppealState.REJECTED: 6,
}
# The state before each one, for an appeal too recent to have got as far as planned.
EARLIER = {
    AppealState.CLOSED: AppealState.RESOLVED,
    AppealState.RESOLVED: AppealState.IN_PROGRESS,
    AppealState.IN_PROGRESS: AppealState.ACCEPTED,
    AppealState.ACCEPTED: AppealState.RECEIVED,
    AppealState.REJECTED: AppealState.RECEIVED,
}
PUBLIC = {
    AppealState.ACCEPTED: "您的诉求已受理，并已安排专人办理。",
    AppealState.IN_PROGRESS: "工会正在办理您的诉求。",
    AppealState.RESOLVED: "您的诉求已办结，请查看答复并评价。",
    AppealState.CLOSED: "您已评价，诉求已关闭。",
    AppealState.REJECTED: "您的诉求不属于工会职责范围，建议向劳动保障监察大队反映。",
}


def _reachable(state: str, received: datetime, before: datetime) -> str:
    """The planned state, or the furthest one before it whose steps all lie before `before`."""
    while state in EARLIER and received + timedelta(hours=HOURS_TO_REACH[state]) >= before:
        state = EARLIER[state]
    return state


def _advance(appeal: Appeal, state: str, at: datetime, rng: random.Random) -> None:
    instructor = current_instructor(appeal.organization)
    user = instructor.user if instructor else None
    fields = {"state": state}
    steps = []
    if state in (
        AppealState.ACCEPTED,
        AppealState.IN_PROGRESS,
        AppealState.RESOLVED,
        AppealState.CLOSED,
    ):
        fields.update(assigned_instructor=instructor, accepted_at=at + timedelta(hours=5))
        if instructor is None:
            fields["assigned_department"] = "权益保障部"
        steps.append((AppealEventKind.ACCEPTED, PUBLIC[AppealState.ACCEPTED], 5))
    if state in (AppealState.IN_PROGRESS, AppealState.RESOLVED, AppealState.CLOSED):
        fields["first_answered_at"] = at + timedelta(days=1)
        steps.append((AppealEventKind.STARTED, PUBLIC[AppealState.IN_PROGRESS], 24))
    if state in (AppealState.RESOLVED, AppealState.CLOSED):
        fields.update(
            resolved_at=at + timedelta(days=6),
            resolution="经工会与企业沟通协商，企业已承诺整改，请留意后续落实情况。",
        )
        steps.append((AppealEventKind.RESOLVED, PUBLIC[AppealState.RESOLVED], 144))
    if state == AppealState.CLOSED:
        fields.update(closed_at=at + timedelta(days=7), satisfaction=rng.choice((3, 4, 5, 5)))
        steps.append((AppealEventKind.RATED, PUBLIC[AppealState.CLOSED], 168))
    if state == AppealState.REJECTED:
        fields.update(
            rejection_reason="属于劳动行政执法事项。",
            referral="湘潭市劳动保障监察支队，电话12333。",
        )
        steps.append((AppealEventKind.REJECTED, PUBLIC[AppealState.REJECTED], 6))
    Appeal.objects.filter(pk=appeal.pk).update(**fields)
    AppealEvent.objects.bulk_create(
        AppealEvent(
            appeal=appeal, kind=kind, public_text=text, actor=user, at=at + timedelta(hours=hours)
        )
        for kind, text, hours in steps
    )
    if state == AppealState.IN_PROGRESS:
        appeal.messages.create(
            sender=MessageSender.STAFF,
            author=user,
            text="已收到，正在与企业核实情况。",
            at=at + timedelta(days=1),
        )


@transaction.atomic
def load_demo_appeals(*, today: date, rng: random.Random) -> list[Appeal]:
    """Poster tokens for every organization on an active assignment and about 30 appeals."""
    organizations = list(
        Organization.objects.filter(assignments__status=AssignmentStatus.ACTIVE)
        .select_related("federation")
        .distinct()
        .order_by("id")
    )
    for organization in organizations:
        current_poster_token(organization=organization)
    if not organizations:
        return []
    by_name = {org.name: org for org in organizations}
    plan = [row for row in FIXED if row[0] in by_name]
    fixed_count = len(plan)
    categories = list(TEXTS)
    while len(plan) < 30:
        category = categories[len(plan) % len(categories)]
        plan.append(
            (
                rng.choice(organizations).name,
                category,
                TEXTS[category],
                rng.random() < 0.6,
                rng.choice(STATES),
                None,
            )
        )
    today_starts = timezone.make_aware(datetime.combine(today, time(0, 0)))
    appeals = []
    for index, (name, category, text, anonymous, state, days_ago) in enumerate(plan):
        organization = by_name[name]
        if index >= fixed_count:
            days_ago = rng.randint(1, OLDEST_DAYS_AGO)
        received = timezone.make_aware(
            datetime.combine(today - timedelta(days=days_ago), time(9 + index % 8, 15))
        )
        state = _reachable(state, received, today_starts)
        appeal = submit_appeal(
            organization=organization,
            category=category,
            description=text,
            anonymous=anonymous,
            name="" if anonymous else "刘师傅",
            phone="" if anonymous else f"139{rng.randint(10000000, 99999999)}",
            consent=True,
        )
        Appeal.objects.filter(pk=appeal.pk).update(
            created_at=received,
            consent_at=None if anonymous else received,
            ip_hash=None,
            **compute_deadlines(received, federation=organization.federation).as_fields(),
        )
        appeal.events.update(at=received)
        if state != AppealState.RECEIVED:
            _advance(appeal, state, received, rng)
        appeals.append(appeal)
    return appeals
