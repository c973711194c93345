"""Scoped reads of indicator sets, assessments, honours and activities.

Assessments, honours and activities belong to a union: whoever may see the union may see them.
Indicator sets are read by everyone working under the owning federation (and the platform-wide
default by everyone); only the owning federation's admins write new versions.
"""

from django.db.models import (
    Count,
    F,
    Prefetch,
    Q,
    QuerySet,
)

from zhidao.core.scoping import CHANGE
from zhidao.dispatch.models import Assignment, AssignmentStatus
from zhidao.orgs.models import Union, ancestor_paths

from .models import (
    Activity,
    Assessment,
    AssessmentAnswer,
    Honour,
    HonourTitle,
    Indicator,
    IndicatorSet,
)


def indicator_sets_visible_to(user) -> QuerySet[IndicatorSet]:
    return IndicatorSet.objects.visible_to(user)


def indicator_sets_editable_by(user) -> QuerySet[IndicatorSet]:
    """Sets from which the user may write a new version: its federation's own sets, and the
    platform default (an admin's edit of it starts its federation's own set)."""
    return IndicatorSet.objects.visible_to(user, CHANGE)


def indicator_set_list(user) -> QuerySet[IndicatorSet]:
    return (
        indicator_sets_visible_to(user)
        .select_related("federation")
        .annotate(
            indicator_count=Count("indicators", distinct=True),
            assessment_count=Count("assessments", distinct=True),
        )
        .order_by("federation__path", "name", "-version", "pk")
    )


def indicators_of(indicator_set: IndicatorSet) -> list[Indicator]:
    return list(
        indicator_set.indicators.select_related("category").order_by(
            "category__position", "category_id", "position", "pk"
        )
    )


def current_indicator_set_for(union: Union) -> IndicatorSet | None:
    """The current version of the nearest federation's set above the union, else the default:
    the set that applies to a union the caller has in hand, whoever asks."""
    return (
        IndicatorSet.objects.unscoped()
        .filter(is_current=True)
        .filter(
            Q(federation__isnull=True)
            | Q(federation__path__in=ancestor_paths(union.federation.path))
        )
        .order_by(F("federation__depth").desc(nulls_last=True), "-pk")
        .first()
    )


# ----- assessments -----


def assessments_visible_to(user) -> QuerySet[Assessment]:
    return Assessment.objects.visible_to(user)


def assessment_list(user) -> QuerySet[Assessment]:
    """The assessment list page's rows (filters.AssessmentFilterSet narrows them)."""
    return (
        assessments_visible_to(user)
        .select_related("union", "instructor", "indicator_set")
        .order_by("-assessed_on", "-pk")
    )


def assessment_detail(user) -> QuerySet[Assessment]:
    return assessments_visible_to(user).select_related(
        "union__federation", "instructor", "indicator_set", "assignment"
    )


def answers_of(assessment: Assessment) -> list[AssessmentAnswer]:
    return list(
        assessment.answers.select_related("indicator__category", "finding")
        .prefetch_related("evidence")
        .order_by("indicator__category__position", "indicator__position", "pk")
    )


def assessable_assignments(user, *, on) -> QuerySet[Assignment]:
    """The instructor's own assignments under which it may assess on that date."""
    return Assignment.objects.visible_to(user, "record").filter(
        status__in=[AssignmentStatus.ACTIVE, AssignmentStatus.COMPLETED],
        starts_on__lte=on,
        ends_on__gte=on,
    )


def unions_assessable_by(user, *, on) -> QuerySet[Union]:
    return (
        Union.objects.visible_to(user)
        .filter(
            organizations__assignment_links__assignment__in=assessable_assignments(
                user, on=on
            ).values("pk")
        )
        .distinct()
        .select_related("federation")
        .order_by("name", "pk")
    )


def union_assessment_history(union: Union) -> list[Assessment]:
    return list(
        union.assessments.select_related("instructor", "indicator_set").order_by(
            "assessed_on", "pk"
        )
    )


# ----- honours and activities -----


def honour_titles_visible_to(user) -> QuerySet[HonourTitle]:
    return HonourTitle.objects.all() if user.is_authenticated else HonourTitle.objects.none()


def honours_visible_to(user) -> QuerySet[Honour]:
    return Honour.objects.visible_to(user)


def honours_administered_by(user) -> QuerySet[Honour]:
    return Honour.objects.visible_to(user, CHANGE)


def honour_list(user) -> QuerySet[Honour]:
    """The honour list page's rows (filters.HonourFilterSet narrows them)."""
    return honours_visible_to(user).select_related("union", "title").order_by("-year", "-pk")


def unions_for_activities(user) -> QuerySet[Union]:
    """Unions whose activities the user may record: its own (officer), those of its
    assignments (instructor), those its federation administers (admin)."""
    return Union.objects.visible_to(user, "activities")


def activities_visible_to(user) -> QuerySet[Activity]:
    return Activity.objects.visible_to(user)


def activity_list(user) -> QuerySet[Activity]:
    """The activity list page's rows (filters.ActivityFilterSet narrows them)."""
    return (
        activities_visible_to(user)
        .select_related("union")
        .annotate(photo_count=Count("photos"))
        .order_by("-held_on", "-pk")
    )


def activity_detail(user) -> QuerySet[Activity]:
    return activities_visible_to(user).select_related("union").prefetch_related("photos")


def union_section(union: Union, *, history_limit: int = 12, rows: int = 10) -> dict:
    """Everything the union page shows about standardization, in four queries."""
    assessments = list(
        union.assessments.select_related("indicator_set").order_by("-assessed_on", "-pk")[
            :history_limit
        ]
    )
    assessments.reverse()
    honours = list(union.honours.select_related("title").order_by("-year", "-pk")[:rows])
    activities = list(
        union.activities.prefetch_related(Prefetch("photos")).order_by("-held_on", "-pk")[:rows]
    )
    return {"assessments": assessments, "honours": honours, "activities": activities}
