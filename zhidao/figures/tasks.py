"""Background refreshes of the summary rows."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from celery import shared_task
from django.db.models.functions import Coalesce
from django.utils import timezone

from zhidao.dispatch.models import Assignment

from .refresh import assignments_between, refresh, refresh_recent
from .rollup import federation_years
from .rollup import recompute as recompute_rollup


def _resolve(payload: list, today: date) -> dict[int, tuple[date, date]]:
    """What was noted → the days to refresh per assignment."""
    ranges: dict[int, tuple[date, date]] = {}

    def widen(assignment_id: int, first: date, last: date) -> None:
        low, high = ranges.get(assignment_id, (first, last))
        ranges[assignment_id] = (min(low, first), max(high, last))

    terms = Assignment.objects.unscoped().annotate(term_end=Coalesce("ended_on", "ends_on"))
    for kind, key, first_text, last_text in payload:
        first = date.fromisoformat(first_text) if first_text else None
        last = date.fromisoformat(last_text) if last_text else None
        if kind == "assignment":
            widen(key, first, last)
        elif kind == "term":
            for pk, starts_on, term_end in terms.filter(pk=key).values_list(
                "pk", "starts_on", "term_end"
            ):
                widen(pk, starts_on, min(term_end, today))
        elif kind == "organization":
            for pk, starts_on, term_end in terms.filter(
                organization_links__organization=key
            ).values_list("pk", "starts_on", "term_end"):
                widen(pk, starts_on, min(term_end, today))
        elif kind == "instructor":
            for pk in (
                assignments_between(first, last)
                .filter(instructor_id=key)
                .values_list("pk", flat=True)
            ):
                widen(pk, first, last)
        elif kind == "all":
            for pk in assignments_between(first, last).values_list("pk", flat=True):
                widen(pk, first, last)
    return ranges


@shared_task(name="figures.refresh_noted")
def refresh_noted(payload: list) -> int:
    """Rebuild the weeks that the committed writes touched (signals.py)."""
    today = timezone.localdate()
    groups: dict[tuple[date, date], list[int]] = defaultdict(list)
    for assignment_id, (first, last) in _resolve(payload, today).items():
        groups[(first, last)].append(assignment_id)
    written = sum(
        refresh(ids, first=first, last=last, today=today)
        for (first, last), ids in groups.items()
        if first <= last
    )
    federations = {key for kind, key, _first, _last in payload if kind == "federation"}
    if federations:
        recompute_rollup(federation_years(federations, today=today), today=today)
    return written


@shared_task(name="figures.refresh_recent")
def refresh_recent_task() -> int:
    """Nightly (and hourly): the last two weeks of every running assignment, so that a week
    turns from pending to met or missed when it ends, also with no write."""
    return refresh_recent()
