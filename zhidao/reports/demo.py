"""Demo quarterly reports: approved reports of the active assignments for 2026 Q1–Q3, some
submitted late, one returned once for revision and then approved (with its transitions).

The narratives use the seed report's facts: 吉利 (市级模范职工之家, 技能比武, 演讲比赛,
石艳芬 芙蓉百岗明星), 软件职业技术大学 (教职工代表大会, 工会经费独立账户, 羽毛球馆/健身房),
燃气公司 (户外劳动者驿站, 保险执照资质).
"""

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from zhidao.dispatch.models import Assignment, AssignmentStatus

from .figures import compute_figures, data_as_of_text, due_date, quarter_bounds
from .models import QuarterlyReport, ReportStatus, ReportTransition

QUARTERS = [(2026, 1), (2026, 2), (2026, 3)]

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


def load_demo_reports(*, today: date, rng: random.Random) -> dict[str, int]:
    created = {"reports": 0, "late": 0, "returned": 0}
    assignments = (
        Assignment.objects.filter(status=AssignmentStatus.ACTIVE)
        .select_related("instructor__user", "batch__federation")
        .prefetch_related("organizations")
        .order_by("pk")
    )
    returned_done = False
    for assignment in assignments:
        admin = _admin_for(assignment)
        if admin is None:
            continue
        work_done, problems, next_plan = _narrative(assignment)
        for year, quarter in QUARTERS:
            first, last = quarter_bounds(year, quarter)
            due_on = due_date(year, quarter)
            if due_on >= today or last < assignment.starts_on or first > assignment.effective_end:
                continue
            if QuarterlyReport.objects.filter(
                assignment=assignment, year=year, quarter=quarter
            ).exists():
                continue
            late = created["reports"] == 1 or rng.random() < 0.25  # some late, at least one
            submitted_on = due_on + timedelta(
                days=rng.randint(1, 6) if late else -rng.randint(0, 8)
            )
            submitted_at = _at(submitted_on, 16)
            report = QuarterlyReport.objects.create(
                assignment=assignment,
                year=year,
                quarter=quarter,
                due_on=due_on,
                figures=compute_figures(assignment, year, quarter, today=submitted_on),
                figures_computed_at=submitted_at,
                data_as_of=data_as_of_text(submitted_at),
                work_done=work_done,
                problems=problems,
                next_plan=next_plan,
                submitted_at=submitted_at,
                is_late=submitted_on > due_on,
                status=ReportStatus.APPROVED,
            )
            instructor = assignment.instructor.user
            steps = [
                ("", ReportStatus.DRAFT, instructor, submitted_at - timedelta(days=2), ""),
                (ReportStatus.DRAFT, ReportStatus.SUBMITTED, instructor, submitted_at, ""),
            ]
            if not returned_done and quarter == 3:
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
                report.work_done += "本季度办结实事的受益职工情况已补充。"
                returned_done = True
                created["returned"] += 1
            approved_at = steps[-1][3] + timedelta(days=rng.randint(1, 3))
            steps.append((ReportStatus.SUBMITTED, ReportStatus.APPROVED, admin, approved_at, ""))
            report.approved_at = approved_at
            report.save()
            ReportTransition.objects.bulk_create(
                ReportTransition(
                    report=report, from_status=a, to_status=b, actor=actor, at=at, comment=c
                )
                for a, b, actor, at, c in steps
            )
            created["reports"] += 1
            created["late"] += report.is_late
    return created
