"""Plausible field work for the demo, from the history's start up to the day before the load:
on-site days (mostly confirmed, a few unconfirmed or disputed, some weeks missed), work records
by duty, findings with their rectification history, practical matters (the seed report's among
them) and some leave, each dated by its own date inside its assignment's term.

The history stops at the end of yesterday: nothing is in the future whatever the hour of the
load, and the same seed on the same day gives the same data. Today is left to the person trying
the demo, and so is the whole current week for the seed instructors (this week's check-in).

Rows are written with bulk_create: the demo must load in seconds.
"""

import functools
import random
import uuid
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import chinese_calendar
from django.conf import settings
from django.utils import timezone

from zhidao.accounts.models import Role, RoleGrant, User
from zhidao.dispatch.models import Assignment, AssignmentStatus
from zhidao.fieldwork.models import (
    Beneficiary,
    ConfirmationMethod,
    Duty,
    Finding,
    FindingCategory,
    FindingStatus,
    FindingTransition,
    LeaveKind,
    LeaveRequest,
    LeaveStatus,
    OnSiteDay,
    OnSiteDayStatus,
    PracticalMatter,
    PracticalMatterCategory,
    PracticalMatterStatus,
    WorkRecord,
)
from zhidao.fieldwork.services import distance_m
from zhidao.orgs.models import Union

from . import data

RECORD_TEXTS = {
    Duty.INVESTIGATION: [
        "走访{org}生产车间，与一线职工座谈，了解加班、工资发放和劳动防护情况。",
        "到{org}调研职工队伍结构和诉求，收集职工意见建议{n}条。",
        "与{org}人力资源部门座谈，了解企业用工和职工流动情况。",
    ],
    Duty.GUIDANCE: [
        "指导{org}工会完善会员台账，规范会员发展和会籍管理。",
        "指导{org}工会修订工会经费收支管理办法，推动建立经费独立账户。",
        "指导{org}工会筹备职工代表大会，审阅大会议程和提案征集方案。",
        "指导{org}工会开展会务公开，规范公开内容和程序。",
    ],
    Duty.PRACTICAL_MATTER: [
        "协调{org}改造职工食堂，跟进施工进度和菜品价格公示。",
        "推动{org}建设职工健身活动场所，与企业商定场地和经费。",
        "帮助{org}申报户外劳动者服务站点，落实饮水、休息设施。",
    ],
    Duty.RIGHTS_PROTECTION: [
        "接待{org}职工来访，就加班工资计算问题与企业沟通，已达成一致。",
        "协调{org}与职工就劳动合同续签问题进行协商。",
        "宣讲《劳动合同法》和工伤保险政策，参加职工{n}人。",
    ],
    Duty.ENTERPRISE_SERVICE: [
        "走访{org}经营层，了解企业融资和用工困难，对接市人社局政策。",
        "协助{org}办理资质证照延续手续，联系主管部门加快审批。",
        "为{org}宣讲稳岗返还和减负政策，指导企业申报。",
    ],
    Duty.OTHER: ["参加{org}工会委员会会议，列席讨论年度工作计划。"],
}
DUTY_WEIGHTS = {
    Duty.INVESTIGATION: 3,
    Duty.GUIDANCE: 4,
    Duty.PRACTICAL_MATTER: 2,
    Duty.RIGHTS_PROTECTION: 2,
    Duty.ENTERPRISE_SERVICE: 2,
    Duty.OTHER: 1,
}
FINDING_TEXTS = {
    FindingCategory.FUND_ACCOUNT: (
        "工会经费未设立独立账户，由企业财务代管。",
        "按规定开设工会经费独立账户，建立收支台账。",
    ),
    FindingCategory.CONGRESS: (
        "本年度尚未召开职工代表大会。",
        "年内召开职工代表大会，审议集体合同和福利事项。",
    ),
    FindingCategory.RULES: (
        "工会各项规章制度不健全，缺少会员管理和经费审查制度。",
        "制定会员管理、经费审查、会务公开等制度并公示。",
    ),
    FindingCategory.ORGANIZATION: (
        "工会委员会缺额，女职工委员会未建立。",
        "按程序补选委员，建立女职工委员会。",
    ),
    FindingCategory.AFFAIRS_PUBLIC: (
        "工会会务未公开，职工不了解经费使用情况。",
        "设置会务公开栏，每季度公开经费收支。",
    ),
}
# A union answers a finding within this many days and the instructor verifies the answer within
# that many more: a finding is closed at most _DAYS_TO_CLOSE days after it was found.
_DAYS_TO_ANSWER = 40
_DAYS_TO_VERIFY = 10
_DAYS_TO_CLOSE = _DAYS_TO_ANSWER + _DAYS_TO_VERIFY
# A practical matter takes up to this long; the seed report's (all done) need a term this old.
_MATTER_WEEKS = (3, 16)
_SEED_MATTERS_TERM_DAYS = 140
DISPUTE_REASONS = ["当天工会无人接待，未见到指导员。", "指导员当天未到企业，签到有误。"]

# The seed report's practical matters, kept recognisable.
SEED_MATTERS = {
    data.GEELY.key: [
        ("职工食堂改造升级", Beneficiary.WORKERS, PracticalMatterCategory.CANTEEN, 2380, "企业出资、工会经费补助"),
        ("车间技能比武和职工演讲比赛", Beneficiary.WORKERS, PracticalMatterCategory.TRAINING, 460, "工会经费"),
    ],
    data.UNIVERSITY.key: [
        ("教职工羽毛球馆建设", Beneficiary.WORKERS, PracticalMatterCategory.SPORTS, 812, "学校出资"),
        ("教职工健身房建设", Beneficiary.WORKERS, PracticalMatterCategory.SPORTS, 812, "学校出资、上级工会补助"),
    ],
    data.GAS_COMPANY.key: [
        ("户外劳动者驿站建设", Beneficiary.WORKERS, PracticalMatterCategory.REST_STATION, 180, "市总工会补助"),
        ("化解保险执照资质失效危机", Beneficiary.ENTERPRISE, PracticalMatterCategory.POLICY_LICENCE, 340, "无需资金"),
    ],
}  # fmt: skip
SYNTHETIC_MATTERS = [
    ("职工书屋建设", PracticalMatterCategory.OTHER, Beneficiary.WORKERS),
    ("夏季送清凉慰问", PracticalMatterCategory.OTHER, Beneficiary.WORKERS),
    ("职工子女暑期托管班", PracticalMatterCategory.CHILD_CARE, Beneficiary.WORKERS),
    ("职工技能提升培训", PracticalMatterCategory.TRAINING, Beneficiary.WORKERS),
    ("帮助企业对接贷款贴息政策", PracticalMatterCategory.FINANCING, Beneficiary.ENTERPRISE),
    ("劳动法律咨询进企业", PracticalMatterCategory.LEGAL, Beneficiary.WORKERS),
    ("职工食堂菜品价格公示", PracticalMatterCategory.CANTEEN, Beneficiary.WORKERS),
    ("户外劳动者驿站挂牌", PracticalMatterCategory.REST_STATION, Beneficiary.WORKERS),
]


def _aware(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@functools.cache
def _is_workday(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year the package does not cover yet
        return day.weekday() < 5


def _state_after(steps: list[tuple[str, User, str, date]]) -> dict:
    """A finding's fields once it has gone through `steps`."""
    status = steps[-1][0]
    fields: dict = {"status": status}
    if status in (FindingStatus.ANSWERED, FindingStatus.CLOSED):
        fields.update(answer=steps[1][2], answered_at=_aware(steps[1][3], 15, 0))
    if status == FindingStatus.CLOSED:
        fields["closed_at"] = _aware(steps[-1][3], 15, 0)
    return fields


class FieldworkHistory:
    # How many work records an on-site day gets (the province tier writes a few more).
    records_per_day: tuple[int, ...] = (1, 2, 2, 3)

    def __init__(self, *, rng: random.Random, today: date, password_hash: str, history_start: date):
        self.history_start = history_start
        self.rng = rng
        self.today = today
        self.password_hash = password_hash
        self.this_monday = today - timedelta(days=today.weekday())
        self.last_day = today - timedelta(days=1)
        self.today_starts = _aware(today, 0, 0)
        # Dates of the on-site days per (assignment, organization): findings are found on them.
        self.visit_dates: dict[tuple[int, int], list[date]] = defaultdict(list)

    def _window(self, assignment: Assignment) -> tuple[date, date]:
        """The part of the assignment's term that the history covers."""
        return (
            max(assignment.starts_on, self.history_start),
            min(assignment.effective_end, self.last_day),
        )

    def load(self, assignments: list[Assignment]) -> dict[str, int]:
        assignments = list(
            Assignment.objects.filter(pk__in=[a.pk for a in assignments])
            .select_related("instructor__user")
            .prefetch_related("organizations")
        )
        officers = self._union_officers(assignments)
        seed_keys = {seed.name: seed.key for seed in data.SEED_ORGANIZATIONS}
        seed_instructors = {seed.name for seed in data.SEED_INSTRUCTORS}
        days: list[OnSiteDay] = []
        for assignment in assignments:
            first, last = self._window(assignment)
            if first > last:
                continue
            leave_weeks = self._leave(assignment)
            for organization in assignment.organizations.all():
                days += self._days(
                    assignment,
                    organization,
                    officers.get(organization.union_id),
                    leave_weeks,
                    leave_this_week_open=assignment.instructor.name in seed_instructors,
                )
        OnSiteDay.objects.bulk_create(days, batch_size=2000)
        for day in days:
            if day.status != OnSiteDayStatus.DISPUTED:
                self.visit_dates[day.assignment_id, day.organization_id].append(day.on_date)
        records = self._records(days)
        WorkRecord.objects.bulk_create(records, batch_size=2000)
        findings = self._findings(assignments, officers)
        matters = self._matters(assignments, seed_keys)
        return {
            "on-site days": len(days),
            "work records": len(records),
            "findings": findings,
            "practical matters": matters,
        }

    # --- people ----------------------------------------------------------------------------

    def _union_officers(self, assignments: list[Assignment]) -> dict[int, User]:
        """A union officer account for every union that had an instructor (the seed unions'
        officers, like geely_chair, already exist)."""
        officers = {
            grant.union_id: grant.user
            for grant in RoleGrant.objects.filter(role=Role.UNION_OFFICER).select_related("user")
        }
        wanted = {
            o.union_id: o
            for a in assignments
            for o in a.organizations.all()
            if o.union_id and o.union_id not in officers
        }
        # Usernames follow the organizations' names, so a reload (--reset) makes the same ones.
        wanted = dict(sorted(wanted.items(), key=lambda item: item[1].name))
        union_names = dict(Union.objects.filter(pk__in=wanted).values_list("pk", "name"))
        users = User.objects.bulk_create(
            [
                User(
                    username=f"officer{number:04d}",
                    # The account stands for the chair of that union (湘潭某某有限公司工会主席).
                    full_name=f"{union_names[union_id]}主席",
                    password=self.password_hash,
                )
                for number, union_id in enumerate(wanted, start=1)
            ]
        )
        RoleGrant.objects.bulk_create(
            [
                RoleGrant(user=user, role=Role.UNION_OFFICER, union_id=union_id)
                for user, union_id in zip(users, wanted, strict=True)
            ]
        )
        officers.update(zip(wanted, users, strict=True))
        return officers

    def _leave(self, assignment: Assignment) -> set[date]:
        """Now and then a week of approved leave or official travel (it exempts the week)."""
        if self.rng.random() > 0.3:
            return set()
        start = assignment.starts_on + timedelta(weeks=self.rng.randint(4, 30))
        monday = start - timedelta(days=start.weekday())
        if (
            monday + timedelta(days=6) >= self.this_monday
            or monday > assignment.effective_end
            or monday < self.history_start
        ):
            return set()
        LeaveRequest.objects.create(
            instructor=assignment.instructor,
            kind=self.rng.choice([LeaveKind.LEAVE, LeaveKind.OFFICIAL_TRAVEL]),
            starts_on=monday,
            ends_on=monday + timedelta(days=4),
            reason=self.rng.choice(["参加省总工会培训班", "年休假", "赴外地学习考察"]),
            status=LeaveStatus.APPROVED,
            decided_at=_aware(monday - timedelta(days=3), 10, 0),
        )
        return {monday}

    # --- on-site days ----------------------------------------------------------------------

    def _days(self, assignment, organization, officer, leave_weeks, *, leave_this_week_open):
        days = []
        first, end = self._window(assignment)
        monday = first - timedelta(days=first.weekday())
        while monday <= end:
            current_week = monday == self.this_monday
            if monday in leave_weeks or (current_week and leave_this_week_open):
                monday += timedelta(weeks=1)
                continue
            workdays = [
                monday + timedelta(days=i)
                for i in range(7)
                if assignment.starts_on <= monday + timedelta(days=i) <= end
                and _is_workday(monday + timedelta(days=i))
            ]
            roll = self.rng.random()
            if workdays and roll > 0.06:  # about one week in sixteen is missed
                count = assignment.min_days_per_week + (1 if roll > 0.9 else 0)
                for on_date in sorted(self.rng.sample(workdays, min(count, len(workdays)))):
                    days.append(self._day(assignment, organization, officer, on_date))
            monday += timedelta(weeks=1)
        return days

    def _day(self, assignment, organization, officer, on_date: date) -> OnSiteDay:
        recent = (self.today - on_date).days < 10
        roll = self.rng.random()
        if roll < (0.5 if recent else 0.04):
            status = OnSiteDayStatus.UNCONFIRMED
        elif roll < 0.07:
            status = OnSiteDayStatus.DISPUTED
        else:
            status = OnSiteDayStatus.CONFIRMED
        checked_in = _aware(on_date, self.rng.randint(8, 10), self.rng.randint(0, 59))
        day = OnSiteDay(
            client_uuid=uuid.UUID(int=self.rng.getrandbits(128), version=4),
            assignment=assignment,
            organization=organization,
            instructor_id=assignment.instructor_id,
            on_date=on_date,
            checked_in_at=checked_in,
            checked_out_at=checked_in + timedelta(hours=self.rng.randint(3, 7)),
            summary="到企业工会驻点，开展走访和工作指导。",
            status=status,
        )
        if organization.latitude is not None and self.rng.random() < 0.8:
            far = self.rng.random() < 0.03
            spread = 0.03 if far else 0.002
            day.latitude = Decimal(
                str(round(float(organization.latitude) + self.rng.uniform(-spread, spread), 6))
            )
            day.longitude = Decimal(str(round(float(organization.longitude) + self.rng.uniform(-spread, spread), 6)))  # fmt: skip
            day.accuracy_m = self.rng.choice([10, 20, 35, 65])
            day.distance_m = distance_m(
                day.latitude, day.longitude, organization.latitude, organization.longitude
            )
            day.is_far = day.distance_m > settings.FIELDWORK_FAR_DISTANCE_M
        if status == OnSiteDayStatus.CONFIRMED:
            method = self.rng.choice(
                [ConfirmationMethod.OFFICER_ACCOUNT] * 3 + [ConfirmationMethod.FACE_TO_FACE_CODE]
            )
            confirmed_at = checked_in + timedelta(hours=self.rng.randint(1, 30))
            if confirmed_at < self.today_starts:  # else the officer has not got to it yet
                day.confirmation_method = method
                day.confirmed_by = officer
                day.confirmed_at = confirmed_at
            else:
                day.status = OnSiteDayStatus.UNCONFIRMED
        elif status == OnSiteDayStatus.DISPUTED:
            disputed_at = checked_in + timedelta(days=1)
            if disputed_at < self.today_starts:
                day.dispute_reason = self.rng.choice(DISPUTE_REASONS)
                day.disputed_by = officer
                day.disputed_at = disputed_at
            else:
                day.status = OnSiteDayStatus.UNCONFIRMED
        return day

    # --- work records ----------------------------------------------------------------------

    def _records(self, days: list[OnSiteDay]) -> list[WorkRecord]:
        duties = list(DUTY_WEIGHTS)
        weights = list(DUTY_WEIGHTS.values())
        deadline = settings.RECORD_PROMPT_DAYS
        records = []
        for day in days:
            if day.status == OnSiteDayStatus.DISPUTED:
                continue
            for duty in self.rng.choices(duties, weights, k=self.rng.choice(self.records_per_day)):
                delay = self.rng.choice([0, 0, 0, 1, 1, 2, 3, 5])
                recorded_on = min(day.on_date + timedelta(days=delay), self.last_day)
                records.append(
                    WorkRecord(
                        client_uuid=uuid.UUID(int=self.rng.getrandbits(128), version=4),
                        assignment_id=day.assignment_id,
                        organization_id=day.organization_id,
                        instructor_id=day.instructor_id,
                        on_site_day=day,
                        duty=duty,
                        worked_on=day.on_date,
                        participants=self.rng.choice(["工会主席、职工代表", "企业人力资源部负责人", "一线职工"]),
                        content=self.rng.choice(RECORD_TEXTS[duty]).format(
                            org=day.organization.name, n=self.rng.randint(3, 40)
                        ),
                        recorded_on=recorded_on,
                        is_late=(recorded_on - day.on_date).days > deadline,
                    )
                )  # fmt: skip
        return records

    # --- findings and practical matters ----------------------------------------------------

    def _findings(self, assignments, officers) -> int:
        findings: list[Finding] = []
        transitions: list[FindingTransition] = []
        for assignment in assignments:
            first, last = self._window(assignment)
            if first > last:
                continue
            finished = assignment.status == AssignmentStatus.COMPLETED
            if finished:
                # A finished term closed its findings, so they were found early enough for that.
                last = max(first, last - timedelta(days=_DAYS_TO_CLOSE))
            author = assignment.instructor.user
            for organization in assignment.organizations.all():
                categories = self.rng.sample(list(FINDING_TEXTS), self.rng.randint(1, 3))
                # Gaps are found on site: on the days the instructor was there.
                visits = [
                    on_date
                    for on_date in self.visit_dates[assignment.pk, organization.pk]
                    if first <= on_date <= last
                ]
                found_dates = sorted(self.rng.sample(visits, min(len(categories), len(visits))))
                for category, found_on in zip(categories, found_dates, strict=False):
                    description, recommendation = FINDING_TEXTS[category]
                    due_on = found_on + timedelta(weeks=self.rng.choice([4, 8, 12]))
                    steps = self._rectification(
                        found_on, author, officers.get(organization.union_id), finished=finished
                    )
                    finding = Finding.objects.create(
                        assignment=assignment,
                        organization=organization,
                        union_id=organization.union_id,
                        category=category,
                        description=description,
                        recommendation=recommendation,
                        found_on=found_on,
                        due_on=due_on,
                        created_by=author,
                        **_state_after(steps),
                    )
                    # Recorded on the day it was found, like every step of its history.
                    finding.created_at = _aware(found_on, 15, 0)
                    findings.append(finding)
                    previous = ""
                    for status, actor, comment, on in steps:
                        transitions.append(
                            FindingTransition(
                                finding=finding, from_status=previous, to_status=status,
                                actor=actor, comment=comment, at=_aware(on, 15, 0),
                            )
                        )  # fmt: skip
                        previous = status
        # auto_now_add stamps "now" on create; the history keeps its own times.
        Finding.objects.bulk_update(findings, ["created_at"], batch_size=500)
        times = [transition.at for transition in transitions]
        FindingTransition.objects.bulk_create(transitions, batch_size=1000)
        for transition, at in zip(transitions, times, strict=True):
            transition.at = at
        FindingTransition.objects.bulk_update(transitions, ["at"], batch_size=500)
        return len(findings)

    def _rectification(
        self, found_on: date, author: User, officer: User | None, *, finished: bool
    ) -> list[tuple[str, User, str, date]]:
        """The steps (status, actor, comment, day) a finding has gone through by yesterday; a
        finished term's findings were all closed."""
        steps = [(FindingStatus.OPEN, author, "", found_on)]
        progress = 3 if finished else self.rng.choice([0, 1, 2, 3, 3])
        answered_on = found_on + timedelta(days=self.rng.randint(7, _DAYS_TO_ANSWER))
        if progress >= 1 and officer is not None and answered_on <= self.last_day:
            steps.append(
                (FindingStatus.ANSWERED, officer, "已按建议完成整改，附相关材料。", answered_on)
            )
            closed_on = answered_on + timedelta(days=self.rng.randint(2, _DAYS_TO_VERIFY))
            if progress >= 2 and closed_on <= self.last_day:
                if progress == 2 and not finished:
                    steps.append(
                        (FindingStatus.REOPENED, author, "材料不完整，请补充会议纪要。", closed_on)
                    )
                else:
                    steps.append((FindingStatus.CLOSED, author, "经核实已整改到位。", closed_on))
        return steps

    def _matters(self, assignments, seed_keys) -> int:
        matters = []
        seen_seed = set()
        for assignment in assignments:  # the newest terms first
            first, last = self._window(assignment)
            if first > last:
                continue
            for organization in assignment.organizations.all():
                key = seed_keys.get(organization.name)
                # The seed report's matters are done: they go to the newest term that has run long
                # enough for that (a term only weeks old leaves them to the one before).
                if key and key not in seen_seed and (last - first).days >= _SEED_MATTERS_TERM_DAYS:
                    seen_seed.add(key)
                    for title, beneficiary, category, count, funds in SEED_MATTERS[key]:
                        matters.append(
                            self._matter(assignment, organization, title, beneficiary, category,
                                         count, funds, done=True)
                        )  # fmt: skip
                    continue
                for title, category, beneficiary in self.rng.sample(
                    SYNTHETIC_MATTERS, self.rng.randint(0, 2)
                ):
                    count = organization.employee_count if beneficiary == Beneficiary.WORKERS else 1
                    done = (
                        assignment.status == AssignmentStatus.COMPLETED or self.rng.random() < 0.5
                    )
                    matters.append(
                        self._matter(assignment, organization, title, beneficiary, category,
                                     self.rng.randint(max(1, count // 4), max(1, count)),
                                     self.rng.choice(["工会经费", "企业出资", "上级工会补助"]),
                                     done=done)
                    )  # fmt: skip
        PracticalMatter.objects.bulk_create(matters)
        return len(matters)

    def _matter(
        self, assignment, organization, title, beneficiary, category, count, funds, *, done
    ):
        first, last = self._window(assignment)
        # One that is done by now started early enough to be finished by `last`.
        latest_start = max(first, last - timedelta(weeks=_MATTER_WEEKS[1])) if done else last
        started = first + timedelta(days=self.rng.randint(0, (latest_start - first).days))
        completed = started + timedelta(weeks=self.rng.randint(*_MATTER_WEEKS))
        finished = done and completed <= last
        return PracticalMatter(
            assignment=assignment,
            organization=organization,
            title=title,
            beneficiary=beneficiary,
            category=category,
            beneficiaries_count=count,
            status=PracticalMatterStatus.DONE if finished else PracticalMatterStatus.IN_PROGRESS,
            result="已建成投入使用，职工反映良好。" if finished else "",
            funds_source=funds,
            started_on=started,
            completed_on=completed if finished else None,
        )
