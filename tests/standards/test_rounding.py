"""Scores are added up unrounded and rounded once, for display (FIGURES.md): three items of
10 × 1/3 make 10 points, not 9.99."""

from decimal import Decimal

from zhidao.standards import scoring
from zhidao.standards.models import Indicator, RuleKind


def _levels(pk: int) -> Indicator:
    return Indicator(
        pk=pk,
        weight=Decimal(10),
        rule=RuleKind.LEVEL,
        level_labels=["无", "差", "中", "好"],  # levels 0..3
        category_id=1,
    )


def test_items_are_added_before_rounding():
    indicators = [_levels(pk) for pk in (1, 2, 3)]
    points = {i.pk: scoring.points_for(i, scoring.Answer(level=1)) for i in indicators}
    total = scoring.total_score(indicators, points)
    # Rounded first, the items would make 3 × 3.33 = 9.99 of 30 = 33.30.
    assert scoring.for_display(total) == "33.33"
    assert total == Decimal("33.333333")


def test_a_difference_of_totals_is_rounded_once():
    baseline, term_end = Decimal("29.998600"), Decimal("75.324000")  # as stored, unrounded
    assert scoring.for_display(term_end - baseline) == "45.33"
    # Rounded to cents first (30.00 and 75.32), the change would come out a cent short.
    rounded = Decimal(scoring.for_display(term_end)) - Decimal(scoring.for_display(baseline))
    assert str(rounded) == "45.32"


def test_an_empty_set_scores_nothing():
    assert scoring.total_score([], {}) == Decimal(0)
    assert scoring.for_display(None) == "—"
