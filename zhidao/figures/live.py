"""Live figures of one assignment for any period (a quarter, a year, its term), from the records.

The quarterly report drafts from these, and the term-end evaluation takes its metrics from them;
the summary rows behind the dashboard hold the same facts (tests compare the two)."""

from __future__ import annotations

from datetime import date, timedelta

from zhidao.dispatch.models import Assignment
from zhidao.fieldwork.compliance.selectors import WeekState

from .definitions import ADDITIVE_KEYS, EXTRA_ADDITIVE_KEYS, WEEK_STATES
from .facts import CONFIRMED, DISPUTED, PENDING, Facts, beneficiary_keys, collect
from .periods import Period

ALL_KEYS = ADDITIVE_KEYS + EXTRA_ADDITIVE_KEYS
_DAY_KEYS = {CONFIRMED: "on_site_days", PENDING: "days_pending", DISPUTED: "days_disputed"}


def empty() -> dict[str, int]:
    return dict.fromkeys(ALL_KEYS, 0)


def add(total: dict[str, int], part: dict[str, int]) -> dict[str, int]:
    for key in ALL_KEYS:
        total[key] = total.get(key, 0) + part.get(key, 0)
    return total


def summarize(facts: Facts, assignment_id: int, period: Period) -> dict[str, int]:
    """The figures of one assignment in the period, from facts collected over (at least) it."""
    figures = empty()
    for monday in period.mondays():
        cell = facts.cells.get((assignment_id, monday))
        if cell is None or cell.state not in WEEK_STATES:
            continue
        figures["weeks_required"] += 1
        figures[f"weeks_{cell.state}"] += 1
        if cell.state == WeekState.EXEMPT and cell.exempt_late:
            figures["weeks_exempt_late"] += 1
    figures["assignments"] = 1 if figures["weeks_required"] else 0
    for (owner, day), kind in facts.day_class.items():
        if owner == assignment_id and period.contains(day):
            figures[_DAY_KEYS[kind]] += 1
    for (owner, _organization, day), count in facts.visits.items():
        if owner == assignment_id and period.contains(day):
            figures["site_visits"] += count
    for (owner, _organization, day, duty), (count, prompt) in facts.records.items():
        if owner == assignment_id and period.contains(day):
            figures["work_records"] += count
            figures["prompt_records"] += prompt
            figures[f"records_{duty}"] += count
    for owner, _organization, found_on, closed_on in facts.found:
        if owner == assignment_id and period.contains(found_on):
            figures["findings_opened"] += 1
            if closed_on is not None and closed_on <= period.last:
                figures["findings_opened_closed"] += 1
    for owner, _organization, closed_on in facts.closed:
        if owner == assignment_id and period.contains(closed_on):
            figures["findings_closed"] += 1
    for owner, _organization, completed_on, beneficiary, count in facts.matters:
        if owner == assignment_id and period.contains(completed_on):
            figures["matters_done"] += 1
            figures[beneficiary_keys(beneficiary)] += count
    return figures


def week_details(facts: Facts, assignment_id: int, period: Period) -> list[dict]:
    """Each week of the period with its state and the days behind it, so that a missed week
    shows the day still waiting for confirmation or disputed."""
    details = []
    for monday in period.mondays():
        cell = facts.cells.get((assignment_id, monday))
        if cell is None:
            continue
        days = {CONFIRMED: [], PENDING: [], DISPUTED: []}
        for offset in range(7):
            day = monday + timedelta(days=offset)
            kind = facts.day_class.get((assignment_id, day))
            if kind:
                days[kind].append(day.isoformat())
        details.append(
            {
                "week_start": monday.isoformat(),
                "week": cell.week.key,
                "state": cell.state,
                "exempt_reason": cell.exempt_reason,
                "exempt_late": cell.exempt_late,
                "confirmed": days[CONFIRMED],
                "pending": days[PENDING],
                "disputed": days[DISPUTED],
            }
        )
    return details


def collect_for(assignment: Assignment, period: Period, *, today: date) -> Facts:
    return collect(
        [assignment], mondays=period.mondays(), first=period.first, last=period.last, today=today
    )


def assignment_figures(assignment: Assignment, period: Period, *, today: date) -> dict[str, int]:
    return summarize(collect_for(assignment, period, today=today), assignment.pk, period)
