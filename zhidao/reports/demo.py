"""Demo quarterly reports of the current and the previous term: every quarter of an assignment's
term that was due before the load day has its report, approved, some submitted late, one
returned once for revision and then approved (with its transitions). A quarter due only days ago
may still wait for the federation's approval. Every step lies before the load day.

The narratives use the seed report's facts: 吉利 (市级模范职工之家, 技能比武, 演讲比赛,
石艳芬 芙蓉百岗明星), 软件职业技术大学 (教职工代表大会, 工会经费独立账户, 羽毛球馆/健身房),
燃气公司 (户外劳动者驿站, 保险执照资质).
"""

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from zhidao.dispatch.models import Assignment, AssignmentStatus

from .figures import compute_figures, data_as_of_text, due_date, quarter_of
from .models import QuarterlyReport, ReportStatus, ReportTransition

# Submitted up to 6 days late, returned and resubmitted within 2 days, approved within 3: a
# quarter due this many days before the load day has its whole review behind it.
REVIEW_DAYS = 12

NARRATIVES = {
    "吉利": (
        "指导企业工会开展技能比武和演讲比赛，推动创建市级模范职工之家；"
        "推荐一线职工石艳芬参评芙蓉百岗明星。",
        "部分车间倒班，职工参加活动时间难以集中。",
        "继续做好模范职工之家创建台账，组织下一轮技能比武。",
    ),
    "软件": (
        "指导学校工会筹备召开教职工代表大会，推动开设工会经费独立账户，协调建设羽毛球馆和健身房。",
        "工会经费独立账户开户手续较多，进度偏慢。",
        "督促完成独立账户开设，落实教代会提案办理。",
    ),
    "燃气": (
        "推动建成户外劳动者驿站，协助企业办理保险执照资质。",
        "一线抢修人员流动性大，入会率有待提高。",
        "开展入会宣传，完善驿站服务制度。",
    ),
}
DEFAULT_NARRATIVE = (
    "按要求每周驻点，走访职工，指导工会规范化建设。",
    "基层工会干部多为兼职，工作精力有限。",
    "继续推进工会组织建设和职工服务。",
)


def _narrative(assignment) -> tuple[str, str, str]:
    names = " ".join(o.name for o in assignment.organizations.all())
    for key, texts in NARRATIVES.items():
        if key in names:
            return texts
    return DEFAULT_NARRATIVE


def _admin_for(assignment):
    from zhidao.accounts.models import Role

    path = assignment.batch.federation.path
    users = (
        get_user_model()
        .objects.filter(role_grants__role=Role.FEDERATION_ADMIN, is_active=True)
        .values_list("pk", "role_grants__federation__path")
    )
    for pk, admin_path in sorted(users, key=lambda row: -len(row[1] or "")):
        if admin_path and path.startswith(admin_path):
            return get_user_model().objects.get(pk=pk)
    return get_user_model().objects.filter(username="admin").first()


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _year_before(day: date) -> date:
    return day.replace(year=day.year - 1, day=min(day.day, 28) if day.month == 2 else day.day)


def reported_assignments(today: date) -> list[Assignment]:
    """The current term's assignments (active), then the previous term's: terms last a year, so
    those are the ones that ended within the year before `today`."""
    previous = Q(status__in=(AssignmentStatus.COMPLETED, AssignmentStatus.ENDED_EARLY)) & (
        Q(ended_on__gte=_year_before(today))
        | Q(ended_on__isnull=True, ends_on__gte=_year_before(today))
    )
    assignments = (
        Assignment.objects.filter(Q(status=AssignmentStatus.ACTIVE) | previous)
        .select_related("instructor__user", "batch__federation")
        .prefetch_related("organizations")
        .order_by("pk")
    )
    return sorted(assignments, key=lambda a: a.status != AssignmentStatus.ACTIVE)


def due_quarters(assignment: Assignment, today: date) -> list[tuple[int, int]]:
    """The quarters that overlap the assignment's term and were due before `today`."""
    quarters = []
    year, quarter = quarter_of(assignment.starts_on)
    while (year, quarter) <= quarter_of(assignment.effective_end):
        if due_date(year, quarter) < today:
            quarters.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return quarters


def load_demo_reports(*, today: date, rng: random.Random) -> dict[str, int]:
    created = {"reports": 0, "late": 0, "returned": 0}
    today_starts = _at(today, 0)
    assignments = reported_assignments(today)
    quarters = {assignment.pk: due_quarters(assignment, today) for assignment in assignments}
    settled = [
        (year, quarter)
        for assignment_quarters in quarters.values()
        for year, quarter in assignment_quarters
        if due_date(year, quarter) + timedelta(days=REVIEW_DAYS) <= today
    ]
    # The one report returned once: the first of the newest quarter whose review is over.
    returned_quarter = max(settled, default=None)
    returned_done = False
    existing = set(
        QuarterlyReport.objects.filter(assignment__in=assignments).values_list(
            "assignment_id", "year", "quarter"
        )
    )
    admins: dict[str, object] = {}
    transitions: list[ReportTransition] = []
    for assignment in assignments:
        path = assignment.batch.federation.path
        if path not in admins:
            admins[path] = _admin_for(assignment)
        admin = admins[path]
        if admin is None:
            continue
        work_done, problems, next_plan = _narrative(assignment)
        for year, quarter in quarters[assignment.pk]:
            due_on = due_date(year, quarter)
            if (assignment.pk, year, quarter) in existing:
                continue
            # A quarter due only days ago was handed in on time (it is not late yet).
            may_be_late = due_on + timedelta(days=REVIEW_DAYS) <= today
            late = may_be_late and (  # some late, at least one
                (created["reports"] >= 1 and created["late"] == 0) or rng.random() < 0.25
            )
            submitted_on = due_on + timedelta(
                days=rng.randint(1, 6) if late else -rng.randint(0, 8)
            )
            submitted_at = _at(submitted_on, 16)
            instructor = assignment.instructor.user
            steps = [
                ("", ReportStatus.DRAFT, instructor, submitted_at - timedelta(days=2), ""),
                (ReportStatus.DRAFT, ReportStatus.SUBMITTED, instructor, submitted_at, ""),
            ]
            narrative = work_done
            if not returned_done and (year, quarter) == returned_quarter:
                returned_at = submitted_at + timedelta(days=1)
                steps += [
                    (
                        ReportStatus.SUBMITTED,
                        ReportStatus.RETURNED,
                        admin,
                        returned_at,
                        "请补充本季度办结实事的受益职工人数和具体成效。",
                    ),
                    (
                        ReportStatus.RETURNED,
                        ReportStatus.SUBMITTED,
                        instructor,
                        returned_at + timedelta(hours=20),
                        "",
                    ),
                ]
                narrative += "本季度办结实事的受益职工情况已补充。"
                returned_done = True
                created["returned"] += 1
            approved_at = steps[-1][3] + timedelta(days=rng.randint(1, 3))
            if approved_at < today_starts:
                steps.append(
                    (ReportStatus.SUBMITTED, ReportStatus.APPROVED, admin, approved_at, "")
                )
            else:  # still on the federation's desk
                approved_at = None
            report = QuarterlyReport.objects.create(
                assignment=assignment,
                year=year,
                quarter=quarter,
                due_on=due_on,
                figures=compute_figures(assignment, year, quarter, today=submitted_on),
                figures_computed_at=submitted_at,
                data_as_of=data_as_of_text(submitted_at),
                work_done=narrative,
                problems=problems,
                next_plan=next_plan,
                submitted_at=submitted_at,
                is_late=submitted_on > due_on,
                status=ReportStatus.APPROVED if approved_at else ReportStatus.SUBMITTED,
                approved_at=approved_at,
            )
            transitions += [
                ReportTransition(
                    report=report, from_status=a, to_status=b, actor=actor, at=at, comment=c
                )
                for a, b, actor, at, c in steps
            ]
            created["reports"] += 1
            created["late"] += report.is_late
    ReportTransition.objects.bulk_create(transitions, batch_size=1000)
    return created
