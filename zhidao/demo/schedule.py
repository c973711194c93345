"""Where the demo's calendar falls on the day it is loaded.

`data.py` dates the terms (期) as they stand during the reference term, the one that starts on
2026-03-01. Loaded on any other day, the demo moves every one of those dates by the same whole
number of years, so that the current term holds the load day and the history before it keeps
its shape (DESIGN.md: "the demo is always current").
"""

import dataclasses
from datetime import date, timedelta

from . import data

# Terms start on 1 March since 第四期; the reference term is the one data.py calls current.
REFERENCE_TERM_START = date(2026, 3, 1)


def current_term_start(today: date) -> date:
    """The 1 March on or before `today`."""
    start = REFERENCE_TERM_START.replace(year=today.year)
    return start if start <= today else start.replace(year=today.year - 1)


def years_after_reference(today: date) -> int:
    """How many years the demo's dates move for a load on `today` (negative before 2026-03-01)."""
    return current_term_start(today).year - REFERENCE_TERM_START.year


def shift(day: date, years: int) -> date:
    """The same day `years` later. The last day of February stays the last day of February,
    so a term that ends the day before 1 March still does in a leap year and in a common one."""
    if day.month == 2 and (day + timedelta(days=1)).month == 3:
        return date(day.year + years, 3, 1) - timedelta(days=1)
    return day.replace(year=day.year + years)


def shift_batch(spec: data.BatchSpec, years: int) -> data.BatchSpec:
    return dataclasses.replace(
        spec,
        year=spec.year + years,
        starts_on=shift(spec.starts_on, years),
        ends_on=shift(spec.ends_on, years) if spec.ends_on else None,
    )
