"""Demo data: term-end evaluations of the previous term's assignments."""

from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Q

from zhidao.accounts.models import Role, RoleGrant
from zhidao.dispatch.models import Assignment, AssignmentStatus

from . import services
from .models import EvaluationGrade
from .selectors import union_ids_of

COMMENTS = [
    "指导员驻点扎实，帮助企业工会建立了工会经费独立账户，职工反映良好。",
    "组织技能比武和演讲比赛，职工参与度高，对指导员工作很满意。",
    "协助建设户外劳动者驿站，解决了职工实际困难。",
]
GRADE_COMMENTS = {
    EvaluationGrade.EXCELLENT: "履职尽责，问题整改闭环，实事成效明显。",
    EvaluationGrade.COMPETENT: "能按要求驻点和报告，整改推进有序。",
    EvaluationGrade.BASICALLY_COMPETENT: "驻点次数偏少，整改跟进有待加强。",
}


def _year_before(day: date) -> date:
    return day.replace(year=day.year - 1, day=min(day.day, 28) if day.month == 2 else day.day)


def load_demo_evaluations(*, today, rng) -> dict:
    admin = get_user_model().objects.filter(username="admin").first()
    # Terms last a year: the previous term's assignments are those that ended in the last one.
    year_ago = _year_before(today)
    assignments = (
        Assignment.objects.filter(
            status__in=(AssignmentStatus.COMPLETED, AssignmentStatus.ENDED_EARLY)
        )
        .filter(Q(ended_on__gte=year_ago) | Q(ended_on__isnull=True, ends_on__gte=year_ago))
        .select_related("batch__federation")
        .order_by("-starts_on", "id")
    )
    created = {"evaluations": 0, "ratings": 0, "finalized": 0}
    for assignment in assignments:
        officers = RoleGrant.objects.filter(
            role=Role.UNION_OFFICER, union_id__in=union_ids_of(assignment)
        ).select_related("user")
        for grant in officers:
            services.rate_instructor(
                actor=grant.user,
                assignment=assignment,
                satisfaction=rng.choice([4, 5, 5]),
                comments=rng.choice(COMMENTS),
            )
            created["ratings"] += 1
        if admin is None:
            continue
        grade = rng.choice(list(GRADE_COMMENTS))
        services.grade_instructor(
            actor=admin, assignment=assignment, grade=grade, comments=GRADE_COMMENTS[grade]
        )
        created["evaluations"] += 1
        if rng.random() < 0.5:
            services.finalize_evaluation(actor=admin, assignment=assignment, today=today)
            created["finalized"] += 1
    return created
