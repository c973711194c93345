"""The figures' names and their definitions (统计口径), once: the 口径说明 page, the second sheet
of every figures workbook and the API docs all read this list."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhidao.fieldwork.models import Duty


@dataclass(frozen=True)
class Definition:
    key: str
    label: Promise
    text: Promise
    unit: Promise | str = ""


# The additive integer keys of FIGURES.md "the dashboard API": for each, the breakdown rows add
# up to the total.
ADDITIVE_KEYS = (
    "assignments",
    "weeks_required",
    "weeks_met",
    "weeks_missed",
    "weeks_exempt",
    "weeks_pending",
    "on_site_days",
    "site_visits",
    "days_pending",
    "work_records",
    "prompt_records",
    "findings_opened",
    "findings_closed",
    "matters_done",
    "beneficiaries_workers",
    "beneficiaries_enterprises",
)
# Also additive, beyond the contract's minimum.
EXTRA_ADDITIVE_KEYS = (
    "weeks_exempt_late",
    "days_disputed",
    "findings_opened_closed",
    *(f"records_{duty}" for duty in Duty.values),
)
WEEK_STATES = ("met", "missed", "exempt", "pending")

DEFINITIONS = (
    Definition(
        "periods",
        pgettext_lazy("figure", "Periods"),
        _(
            "A dated fact belongs to the period that holds its date: a check-in by its day, a "
            "work record by the day the work was done, a finding by the day it was found, a "
            "closure by the day it was closed, a practical matter by the day it was completed, an "
            "appeal by the day it was received (closures by the day it was closed), an honour by "
            "the day it was awarded, an activity or exchange event by the day it was held. A week "
            "(Monday to Sunday) belongs to the quarter, year and term that hold its Thursday, the "
            "ISO 8601 rule that also numbers it, so every week is counted in exactly one quarter."
        ),
    ),
    Definition(
        "assignments",
        pgettext_lazy("figure", "Assignments"),
        _("Assignments with at least one required week in the period."),
        pgettext_lazy("unit", "assignments"),
    ),
    Definition(
        "weeks_required",
        pgettext_lazy("figure", "Required weeks"),
        _(
            "Weeks of the period whose Thursday the assignment's term holds while the assignment "
            "was active, up to the current week. Weeks still to come are not counted."
        ),
        pgettext_lazy("unit", "weeks"),
    ),
    Definition(
        "weeks_met",
        pgettext_lazy("figure", "Weeks met"),
        _(
            "Required weeks with at least the rule's number of on-site days (default 1) confirmed "
            "by the union officer."
        ),
        pgettext_lazy("unit", "weeks"),
    ),
    Definition(
        "weeks_exempt",
        pgettext_lazy("figure", "Weeks exempt"),
        _(
            "Required weeks not met in which every working day (Monday to Friday, plus a weekend "
            "day worked in exchange, minus statutory holidays) inside the term is a holiday or "
            "covered by approved leave or official travel. Leave approved only after the week is "
            "marked 补报 (reported late)."
        ),
        pgettext_lazy("unit", "weeks"),
    ),
    Definition(
        "weeks_pending",
        pgettext_lazy("figure", "Weeks pending"),
        _("The current week while it is not yet met."),
        pgettext_lazy("unit", "weeks"),
    ),
    Definition(
        "weeks_missed",
        pgettext_lazy("figure", "Weeks missed"),
        _("Required weeks that are neither met, exempt nor pending."),
        pgettext_lazy("unit", "weeks"),
    ),
    Definition(
        "compliance_rate",
        pgettext_lazy("figure", "Compliance rate"),
        _(
            "Weeks met / (weeks met + weeks missed): exempt and pending weeks are left out of "
            "both sides."
        ),
        "%",
    ),
    Definition(
        "site_visits",
        pgettext_lazy("figure", "Site visits"),
        _("Confirmed check-ins, one per organization and day."),
        pgettext_lazy("unit", "visits"),
    ),
    Definition(
        "on_site_days",
        pgettext_lazy("figure", "On-site days"),
        _(
            "Distinct (assignment, day) pairs with at least one confirmed site visit: two "
            "organizations visited on one day are two site visits and one on-site day."
        ),
        pgettext_lazy("unit", "days"),
    ),
    Definition(
        "days_pending",
        pgettext_lazy("figure", "Days awaiting confirmation"),
        _(
            "Days of an assignment with a check-in still waiting for the union officer and no "
            "confirmed one. They do not count towards the rule."
        ),
        pgettext_lazy("unit", "days"),
    ),
    Definition(
        "days_disputed",
        pgettext_lazy("figure", "Disputed days"),
        _(
            "Days of an assignment whose check-ins the union officer disputed, with none "
            "confirmed or waiting. They do not count towards the rule."
        ),
        pgettext_lazy("unit", "days"),
    ),
    Definition(
        "work_records",
        pgettext_lazy("figure", "Work records"),
        _("Work records by the day the work was done, by duty."),
        pgettext_lazy("unit", "records"),
    ),
    Definition(
        "prompt_records",
        pgettext_lazy("figure", "Prompt records"),
        _(
            "Work records entered within RECORD_PROMPT_DAYS days (default 3) of the day the work "
            "was done. The prompt-record rate is prompt records / all records of the period."
        ),
        pgettext_lazy("unit", "records"),
    ),
    Definition(
        "findings_opened",
        pgettext_lazy("figure", "Findings opened"),
        _("Findings found in the period (by the date found, which may be back-dated)."),
        pgettext_lazy("unit", "findings"),
    ),
    Definition(
        "findings_closed",
        pgettext_lazy("figure", "Findings closed"),
        _("Findings closed (销号) in the period, whenever they were found."),
        pgettext_lazy("unit", "findings"),
    ),
    Definition(
        "closure_rate",
        pgettext_lazy("figure", "Closure rate"),
        _("Findings found in the period and closed by its end / findings found in it."),
        "%",
    ),
    Definition(
        "matters_done",
        pgettext_lazy("figure", "Practical matters done"),
        _("Practical matters completed in the period (by the day completed)."),
        pgettext_lazy("unit", "matters"),
    ),
    Definition(
        "beneficiaries_workers",
        pgettext_lazy("figure", "Workers served"),
        _(
            "Workers who benefited from the practical matters done (人次). Never added to "
            "enterprises."
        ),
        pgettext_lazy("unit", "person-times"),
    ),
    Definition(
        "beneficiaries_enterprises",
        pgettext_lazy("figure", "Enterprises served"),
        _("Enterprises that benefited from the practical matters done (家)."),
        pgettext_lazy("unit", "enterprises"),
    ),
    Definition(
        "attribution",
        pgettext_lazy("figure", "Attribution"),
        _(
            "Every figure is attributed to exactly one federation, so that the rows of a "
            "breakdown (each direct child federation, plus 本级直属 for what belongs to the "
            "federation itself) add up to the total: a fact at an organization to the "
            "organization's federation; an assignment's weeks and on-site days to the federation "
            "of its primary organization (the first one listed on the assignment)."
        ),
    ),
    Definition(
        "coverage",
        pgettext_lazy("figure", "Instructor coverage"),
        _(
            "Active organizations with an active assignment covering the day / active "
            "organizations existing that day. For a past period the day is its last day; for the "
            "current period it is today. An organization's status is its current one (its "
            "history is not kept)."
        ),
        "%",
    ),
    Definition(
        "attendance_rate",
        pgettext_lazy("figure", "Attendance rate"),
        _(
            "Registered participants who signed in / registered participants, never above 100 %. "
            "Those who signed in without registering are counted as walk-ins, apart."
        ),
        "%",
    ),
    Definition(
        "assessment_scores",
        pgettext_lazy("figure", "Assessment scores"),
        _("Points are added up unrounded and rounded once, for display, to two decimals."),
    ),
    Definition(
        "appeals",
        pgettext_lazy("figure", "Appeals"),
        _(
            "Received by the day received; closed by the day closed; on time = closed in the "
            "period by its resolve-by date; satisfaction = the average of the ratings given to "
            "appeals closed in the period (1 to 5)."
        ),
    ),
    Definition(
        "rates",
        pgettext_lazy("figure", "Rates"),
        _(
            "Every rate is shown with its numerator and denominator, e.g. 87 % (141/162); a rate "
            "whose denominator is 0 is shown as —, never as 0 %."
        ),
    ),
    Definition(
        "live",
        pgettext_lazy("figure", "Live and frozen figures"),
        _(
            "A quarterly report freezes its figures when it is submitted and keeps them once "
            "approved. When the live figures of the same assignment and quarter differ later (a "
            "day confirmed late, leave approved afterwards) the report and the roll-up say "
            "批准后数据有变化 and show both. The dashboard shows live figures with the time they "
            "were computed; it is refreshed after every change, in the background, and nightly."
        ),
    ),
)
BY_KEY = {definition.key: definition for definition in DEFINITIONS}

# The counts and rates a report, the dashboard's workbook and the roll-up show, in this order.
SHOWN_COUNTS = (
    "weeks_required",
    "weeks_met",
    "weeks_missed",
    "weeks_exempt",
    "weeks_exempt_late",
    "weeks_pending",
    "on_site_days",
    "site_visits",
    "days_pending",
    "days_disputed",
    "work_records",
    "prompt_records",
    "findings_opened",
    "findings_closed",
    "findings_opened_closed",
    "matters_done",
    "beneficiaries_workers",
    "beneficiaries_enterprises",
)
SHOWN_RATES = ("compliance_rate", "prompt_record_rate", "closure_rate")

# One label per figure, wherever it is shown (pages, exports, the API docs).
LABELS = {definition.key: definition.label for definition in DEFINITIONS}
LABELS.update(
    {
        "weeks_exempt_late": pgettext_lazy("figure", "of which exempt by leave reported late"),
        "findings_opened_closed": pgettext_lazy("figure", "Found and closed by the period's end"),
        "prompt_record_rate": pgettext_lazy("figure", "Prompt-record rate"),
        "organizations_active": pgettext_lazy("figure", "Active organizations"),
        "organizations_covered": pgettext_lazy("figure", "Organizations covered"),
        **{f"records_{value}": label for value, label in Duty.choices},
    }
)


@dataclass(frozen=True)
class Rate:
    """A rate with its numerator and denominator: "87 % (141/162)", or "—" when nothing is
    due."""

    numerator: int
    denominator: int

    @property
    def percent(self) -> int | None:
        if not self.denominator:
            return None
        value = Decimal(self.numerator) * 100 / Decimal(self.denominator)
        return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))

    def __str__(self) -> str:
        if self.percent is None:
            return "—"
        return f"{self.percent} % ({self.numerator}/{self.denominator})"

    def as_json(self) -> dict:
        return {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "percent": self.percent,
        }


def rates_of(figures: dict) -> dict[str, Rate]:
    """The rates of a figures dict (totals or a row)."""
    return {
        "compliance_rate": Rate(
            figures.get("weeks_met", 0),
            figures.get("weeks_met", 0) + figures.get("weeks_missed", 0),
        ),
        "prompt_record_rate": Rate(
            figures.get("prompt_records", 0), figures.get("work_records", 0)
        ),
        "closure_rate": Rate(
            figures.get("findings_opened_closed", 0), figures.get("findings_opened", 0)
        ),
    }
