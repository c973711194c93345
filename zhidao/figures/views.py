"""Pages of figures that belong to no single room: the 统计口径说明 page, and the exchange and
standardization statistics (their counts come from this module, over the user's scope)."""

from django.shortcuts import render

from zhidao.core.db_router import replica_reads
from zhidao.core.pagination import paginate
from zhidao.core.permissions import permission_required
from zhidao.exchange.selectors import events_administered_by
from zhidao.orgs.selectors import federations_administered_by
from zhidao.standards.models import ActivityKind, HonourLevel
from zhidao.standards.selectors import (
    activities_visible_to,
    assessments_visible_to,
    honours_visible_to,
)

from . import programme, statistics
from .definitions import DEFINITIONS, Rate


@permission_required("figures.view_definitions")
def definitions(request):
    return render(request, "figures/definitions.html", {"definitions": DEFINITIONS})


@permission_required("figures.view_exchange_statistics")
@replica_reads
def exchange_statistics(request):
    federations = programme.attendance_by_federation(federations_administered_by(request.user))
    for row in federations:
        row["attendance"] = Rate(row["registered_attended"], row["registered"])
    people = statistics.participation_by_person(events_administered_by(request.user))
    return render(
        request,
        "figures/exchange_statistics.html",
        {"people": paginate(request, people), "federations": federations[:200]},
    )


@permission_required("figures.view_standards_statistics")
@replica_reads
def standards_statistics(request):
    level_labels = dict(HonourLevel.choices)
    kind_labels = dict(ActivityKind.choices)
    honour_counts = [
        {**row, "level_label": level_labels.get(row["level"], row["level"])}
        for row in statistics.honours_by_year_and_level(honours_visible_to(request.user))
    ]
    activity_counts = [
        {**row, "kind_label": kind_labels.get(row["kind"], row["kind"])}
        for row in statistics.activities_by_kind(activities_visible_to(request.user))
    ]
    assessments = assessments_visible_to(request.user)
    distribution = statistics.latest_score_distribution(assessments)
    return render(
        request,
        "figures/standards_statistics.html",
        {
            "distribution": distribution,
            "improvements": list(statistics.improvement_by_batch(assessments)),
            "honour_counts": honour_counts,
            "activity_counts": activity_counts,
            "chart": {
                "bands": [f"{row['low']}–{row['high']}" for row in distribution],
                "counts": [row["count"] for row in distribution],
            },
        },
    )
