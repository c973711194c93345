"""Scores from an indicator set's rules: points per indicator, subtotals per category and a
total out of 100. Pure functions, so that the rules can be checked by hand.

Points are added up unrounded and rounded once, for display (FIGURES.md "rounding"): rounding
each item first made a total of 45.325… come out as 45.32. What is stored keeps six places
(`STORED`), so that sums and differences of totals are also computed before rounding."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Indicator, RuleKind

CENT = Decimal("0.01")
STORED = Decimal("0.000001")


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def stored(value: Decimal) -> Decimal:
    """The value as the database keeps it (six places)."""
    return value.quantize(STORED, rounding=ROUND_HALF_UP)


def for_display(value: Decimal | float | str | None) -> str:
    """Two places, rounded half up, once."""
    if value is None:
        return "—"
    return str(_quantize(Decimal(str(value))))


@dataclass(frozen=True)
class Answer:
    yes: bool | None = None
    level: int | None = None
    number: Decimal | None = None


def points_for(indicator: Indicator, answer: Answer) -> Decimal:
    """The points an answer earns on one indicator, or a Chinese error naming what is missing."""
    weight = Decimal(indicator.weight)
    if indicator.rule == RuleKind.YES_NO:
        if answer.yes is None:
            raise ValidationError(_("Answer yes or no."))
        return weight if answer.yes else Decimal(0)
    if indicator.rule == RuleKind.LEVEL:
        if answer.level is None or not 0 <= answer.level <= indicator.max_level:
            raise ValidationError(_("Choose one of the levels."))
        return weight * answer.level / indicator.max_level
    if answer.number is None:
        raise ValidationError(_("Enter a number."))
    if answer.number < 0:
        raise ValidationError(_("The number cannot be negative."))
    earned = Decimal(0)
    for low, points in sorted(indicator.thresholds, key=lambda pair: Decimal(str(pair[0]))):
        if Decimal(answer.number) >= Decimal(str(low)):
            earned = Decimal(str(points))
    return min(earned, weight)


def category_scores(indicators: Iterable[Indicator], points: dict[int, Decimal]) -> list[dict]:
    """Per category, in the set's order: points earned, points possible and the percentage."""
    rows: dict[int, dict] = {}
    for indicator in indicators:
        row = rows.setdefault(
            indicator.category_id,
            {
                "category": indicator.category.name,
                "position": indicator.category.position,
                "earned": Decimal(0),
                "possible": Decimal(0),
            },
        )
        row["earned"] += points.get(indicator.pk, Decimal(0))
        row["possible"] += Decimal(indicator.weight)
    result = []
    for row in sorted(rows.values(), key=lambda item: item["position"]):
        possible = row["possible"]
        percent = row["earned"] * 100 / possible if possible else Decimal(0)
        result.append(
            {
                "category": row["category"],
                "earned": str(_quantize(row["earned"])),
                "possible": str(_quantize(possible)),
                "percent": str(_quantize(percent)),
            }
        )
    return result


def total_score(indicators: Iterable[Indicator], points: dict[int, Decimal]) -> Decimal:
    """The sum of the points as a share of the sum of the weights, out of 100."""
    indicators = list(indicators)
    possible = sum((Decimal(indicator.weight) for indicator in indicators), Decimal(0))
    if not possible:
        return Decimal("0")
    earned = sum((points.get(indicator.pk, Decimal(0)) for indicator in indicators), Decimal(0))
    return stored(earned * 100 / possible)
