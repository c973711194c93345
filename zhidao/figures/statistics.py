"""The exchange and standardization statistics (the pages 参与情况统计 and 规范化建设统计), over
querysets the caller has scoped to the user: who took part in which kind of event, the latest
score of each union by band, the change per batch, honours by year and level, activities by
kind. Scores are averaged unrounded and rounded once, for display (FIGURES.md "rounding")."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)

from zhidao.exchange.models import Event, EventKind
from zhidao.standards.models import Activity, Assessment, AssessmentKind, Honour

SCORE_BANDS = [(0, 60), (60, 70), (70, 80), (80, 90), (90, 101)]


def participation_by_person(events: QuerySet[Event]) -> QuerySet:
    """Per person: events attended, by kind, among the given events; in name order (no page
    ranks people by how much they did)."""
    in_scope = Q(event_attendances__event__in=events.values("pk"))
    counts = {
        f"attended_{kind.value}": Count(
            "event_attendances", filter=in_scope & Q(event_attendances__event__kind=kind)
        )
        for kind in EventKind
    }
    return (
        get_user_model()
        .objects.filter(event_attendances__event__in=events.values("pk"))
        .distinct()
        .annotate(attended_total=Count("event_attendances", filter=in_scope), **counts)
        .order_by("full_name", "id")
    )


def latest_score_distribution(assessments: QuerySet[Assessment]) -> list[dict]:
    """How many unions' latest assessment falls in each score band, counted in the database."""
    newest = Assessment.objects.filter(union_id=OuterRef("union_id")).order_by(
        "-assessed_on", "-pk"
    )
    latest = assessments.filter(pk=Subquery(newest.values("pk")[:1]))
    bands = latest.aggregate(
        **{
            f"band_{low}": Count(
                Case(
                    When(total_score__gte=low, total_score__lt=high, then=1),
                    output_field=IntegerField(),
                )
            )
            for low, high in SCORE_BANDS
        }
    )
    return [
        {"low": low, "high": min(high, 100), "count": bands[f"band_{low}"] or 0}
        for low, high in SCORE_BANDS
    ]


def improvement_by_batch(assessments: QuerySet[Assessment]) -> QuerySet:
    """Per batch: average baseline, average term-end score and their difference."""
    return (
        assessments.values(
            "assignment__batch_id", "assignment__batch__name", "assignment__batch__starts_on"
        )
        .annotate(
            union_count=Count("union", distinct=True),
            baseline_average=Avg("total_score", filter=Q(kind=AssessmentKind.BASELINE)),
            term_end_average=Avg("total_score", filter=Q(kind=AssessmentKind.TERM_END)),
        )
        .annotate(improvement=F("term_end_average") - F("baseline_average"))
        .order_by("-assignment__batch__starts_on", "assignment__batch_id")
    )


def honours_by_year_and_level(honours: QuerySet[Honour]) -> list[dict]:
    return list(
        honours.values("year", "level").annotate(count=Count("pk")).order_by("-year", "level")
    )


def activities_by_kind(activities: QuerySet[Activity]) -> list[dict]:
    return list(
        activities.values("kind")
        .annotate(count=Count("pk"), participants=Sum("participant_count"))
        .order_by("kind")
    )
