"""Writes of indicator sets, assessments, honours and activities (one transaction each)."""

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from zhidao.accounts.scope import scope_of
from zhidao.core.scoping import CHANGE, unguarded_call, use_case
from zhidao.core.services import validate_and_save
from zhidao.core.uploads import check_document, clean_image
from zhidao.orgs.models import Federation, Union

from . import scoring, selectors
from .models import (
    Activity,
    ActivityPhoto,
    Assessment,
    AssessmentAnswer,
    AssessmentEvidence,
    AssessmentKind,
    Honour,
    HonourTitle,
    Indicator,
    IndicatorCategory,
    IndicatorSet,
    RuleKind,
)

IMAGE_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG", b"RIFF", b"GIF8")
INDICATOR_FIELDS = (
    "code",
    "text",
    "guidance",
    "weight",
    "rule",
    "level_labels",
    "thresholds",
    "unit",
    "finding_category",
)


# ----- indicator sets -----


@unguarded_call
def indicator_set_structure(indicator_set: IndicatorSet) -> list[dict]:
    """The set as plain data: [{name, indicators: [{code, text, weight, rule, …}]}]."""
    categories: dict[int, dict] = {}
    for indicator in selectors.indicators_of(indicator_set):
        category = categories.setdefault(
            indicator.category_id, {"name": indicator.category.name, "indicators": []}
        )
        category["indicators"].append(
            {field: getattr(indicator, field) for field in INDICATOR_FIELDS}
        )
    return list(categories.values())


def _owning_federation(actor, base: IndicatorSet) -> Federation | None:
    scope = scope_of(actor)
    if base.federation_id is not None or scope.is_superuser:
        return base.federation
    # An admin's edit of the platform default starts its own federation's set.
    return Federation.objects.filter(path__in=scope.admin_paths).order_by("depth").first()


@use_case
def create_indicator_set_version(
    *, actor, base: IndicatorSet, name: str, categories: list[dict], notes: str = ""
) -> IndicatorSet:
    """Copy-on-write: the edit becomes the next version; the base stays as it was, with its
    assessments, and is no longer the current version."""
    if not selectors.indicator_sets_editable_by(actor).filter(pk=base.pk).exists():
        raise PermissionDenied
    if not categories or not any(category.get("indicators") for category in categories):
        raise ValidationError({"categories": _("A set needs at least one indicator.")})
    federation = _owning_federation(actor, base)
    same_lineage = federation == base.federation
    if same_lineage:
        base = IndicatorSet.objects.select_for_update().get(pk=base.pk)
        latest = IndicatorSet.objects.filter(lineage=base.lineage).order_by("-version").first()
        IndicatorSet.objects.filter(lineage=base.lineage, is_current=True).update(is_current=False)
        new_set = IndicatorSet(
            federation=federation,
            lineage=base.lineage,
            name=name,
            version=latest.version + 1,
            notes=notes,
            created_by=actor,
        )
    else:
        new_set = IndicatorSet(federation=federation, name=name, notes=notes, created_by=actor)
    validate_and_save(new_set)
    codes: set[str] = set()
    for category_position, category_data in enumerate(categories):
        category = IndicatorCategory(
            indicator_set=new_set,
            name=(category_data.get("name") or "").strip(),
            position=category_position,
        )
        validate_and_save(category)
        for position, data in enumerate(category_data.get("indicators", [])):
            code = data.get("code") or f"item{category_position}_{position}"
            if code in codes:
                raise ValidationError({"categories": _("Indicator codes must be unique.")})
            codes.add(code)
            indicator = Indicator(
                indicator_set=new_set,
                category=category,
                position=position,
                **{field: data[field] for field in INDICATOR_FIELDS if field in data},
            )
            indicator.code = code
            try:
                validate_and_save(indicator, exclude_unique=True)
            except ValidationError as error:
                raise ValidationError(
                    {"categories": [f"{indicator.text}: {message}" for message in error.messages]}
                ) from None
    return new_set


# ----- assessments -----


def _check_evidence(upload) -> tuple[object, bool]:
    """A photo is re-encoded (EXIF dropped); other evidence must be an accepted document."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    name = (upload.name or "").lower()
    looks_like_image = head.startswith(IMAGE_SIGNATURES) or name.endswith(
        (".jpg", ".jpeg", ".png", ".webp", ".gif")
    )
    if looks_like_image:
        return clean_image(upload), True
    check_document(upload)
    return upload, False


@unguarded_call
def assignment_for(*, actor, union: Union, on: date):
    """The actor's own assignment covering one of the union's organizations on that date."""
    assignment = (
        selectors.assessable_assignments(actor, on=on)
        .filter(organizations__union=union)
        .order_by("-starts_on", "-pk")
        .first()
    )
    if assignment is None:
        raise ValidationError(
            {"union": _("You can only assess the unions of your own assignments.")}
        )
    return assignment


@use_case
def create_assessment(
    *,
    actor,
    union: Union,
    kind: str,
    assessed_on: date,
    answers: dict[int, dict],
    notes: str = "",
    indicator_set: IndicatorSet | None = None,
    today: date | None = None,
) -> Assessment:
    """Score the answers with the set's rules and store the assessment with frozen scores.

    `answers` maps an indicator id to {"yes"|"level"|"number", "note", "files"}; every indicator
    of the set must be answered.
    """
    if not scope_of(actor).is_instructor:
        raise PermissionDenied  # assessing is the instructor's, on its own assignments
    if assessed_on > (today or timezone.localdate()):
        raise ValidationError({"assessed_on": _("The assessment cannot be dated in the future.")})
    assignment = assignment_for(actor=actor, union=union, on=assessed_on)
    indicator_set = indicator_set or selectors.current_indicator_set_for(union)
    if indicator_set is None:
        raise ValidationError(_("No indicator set applies to this union."))
    if kind not in AssessmentKind.values:
        raise ValidationError({"kind": _("Choose the kind of assessment.")})
    indicators = selectors.indicators_of(indicator_set)
    points: dict[int, Decimal] = {}
    errors: dict[str, list] = {}
    prepared = []
    for indicator in indicators:
        data = answers.get(indicator.pk) or {}
        answer = scoring.Answer(
            yes=data.get("yes"), level=data.get("level"), number=data.get("number")
        )
        field = f"indicator_{indicator.pk}"
        try:
            points[indicator.pk] = scoring.points_for(indicator, answer)
        except ValidationError as error:
            errors[field] = error.messages
            continue
        files = []
        for upload in data.get("files") or []:
            try:
                files.append((upload.name, *_check_evidence(upload)))
            except ValidationError as error:
                errors.setdefault(f"evidence_{indicator.pk}", []).extend(error.messages)
        prepared.append((indicator, answer, data.get("note", ""), files))
    if errors:
        raise ValidationError(errors)
    assessment = Assessment(
        union=union,
        indicator_set=indicator_set,
        assignment=assignment,
        instructor_id=assignment.instructor_id,
        kind=kind,
        assessed_on=assessed_on,
        total_score=scoring.total_score(indicators, points),
        category_scores=scoring.category_scores(indicators, points),
        notes=notes,
    )
    validate_and_save(assessment)
    for indicator, answer, note, files in prepared:
        stored_answer = AssessmentAnswer.objects.create(
            assessment=assessment,
            indicator=indicator,
            yes=answer.yes if indicator.rule == RuleKind.YES_NO else None,
            level=answer.level if indicator.rule == RuleKind.LEVEL else None,
            number=answer.number if indicator.rule == RuleKind.NUMBER else None,
            points=scoring.stored(points[indicator.pk]),
            note=(note or "")[:500],
        )
        for original_name, content, is_image in files:
            AssessmentEvidence.objects.create(
                answer=stored_answer,
                file=content,
                original_name=original_name[:255],
                is_image=is_image,
            )
    return assessment


@use_case
def open_finding_for_answer(
    *, actor, answer: AssessmentAnswer, due_in_days: int = 30
) -> AssessmentAnswer:
    """A "no" becomes a rectification item of the field-work loop, once."""
    from zhidao.fieldwork.records.services import open_finding

    answer = (
        AssessmentAnswer.objects.select_for_update(of=("self",))
        .select_related("assessment__assignment", "indicator")
        .get(pk=answer.pk)
    )
    assessment = answer.assessment
    if assessment.instructor_id != scope_of(actor).instructor_id:
        raise PermissionDenied
    if answer.indicator.rule != RuleKind.YES_NO or answer.yes is not False:
        raise ValidationError(_("Only an indicator answered “no” opens a rectification item."))
    if answer.finding_id is not None:
        raise ValidationError(_("A rectification item is already open for this indicator."))
    organization = (
        assessment.assignment.organizations.filter(union_id=assessment.union_id)
        .order_by("pk")
        .first()
    )
    if organization is None:
        raise ValidationError(_("The assignment no longer covers this union."))
    today = timezone.localdate()
    finding = open_finding(
        actor=actor,
        assignment_id=assessment.assignment_id,
        organization_id=organization.pk,
        category=answer.indicator.finding_category or "other",
        description=_("Standardization assessment of %(date)s: “%(indicator)s” is not met.")
        % {"date": assessment.assessed_on, "indicator": answer.indicator.text},
        recommendation=answer.note
        or _("Put “%(indicator)s” in place.") % {"indicator": answer.indicator.text},
        due_on=today + timedelta(days=due_in_days),
        today=today,
    )
    answer.finding = finding
    answer.save(update_fields=["finding"])
    return answer


# ----- honours -----


@use_case
def save_honour_title(
    *, actor, title: HonourTitle | None = None, name: str, recipient: str, is_active: bool = True
) -> HonourTitle:
    scope = scope_of(actor)
    if not (scope.is_federation_admin or scope.is_superuser):
        raise PermissionDenied
    title = title or HonourTitle()
    title.name = name.strip()
    title.recipient = recipient
    title.is_active = is_active
    validate_and_save(title)
    return title


@use_case
def create_honour(
    *,
    actor,
    union: Union,
    title: HonourTitle,
    level: str,
    awarded_on: date | None = None,
    year: int | None = None,
    person_name: str = "",
    notes: str = "",
    today: date | None = None,
) -> Honour:
    """Record an honour. The day it was awarded places it in a period; a caller that knows only
    the year (older API clients) gets the last day of that year, or today for this year."""
    if not Union.objects.visible_to(actor, CHANGE).filter(pk=union.pk).exists():
        raise PermissionDenied
    today = today or timezone.localdate()
    if awarded_on is None:
        if year is None:
            raise ValidationError({"awarded_on": _("Give the date the honour was awarded.")})
        if year > today.year:
            raise ValidationError({"year": _("The year cannot be in the future.")})
        awarded_on = min(date(year, 12, 31), today)
    if awarded_on > today:
        raise ValidationError({"awarded_on": _("The date awarded cannot be in the future.")})
    honour = Honour(
        union=union,
        title=title,
        level=level,
        awarded_on=awarded_on,
        year=awarded_on.year,
        person_name=person_name.strip(),
        notes=notes,
        created_by=actor,
    )
    validate_and_save(honour)
    return honour


# ----- activities -----


@use_case
def create_activity(
    *,
    actor,
    union: Union,
    kind: str,
    title: str,
    held_on: date,
    participant_count: int,
    report: str = "",
    photos: Iterable = (),
    today: date | None = None,
) -> Activity:
    if not selectors.unions_for_activities(actor).filter(pk=union.pk).exists():
        raise PermissionDenied
    if held_on > (today or timezone.localdate()):
        raise ValidationError({"held_on": _("The activity cannot be dated in the future.")})
    cleaned = []
    for upload in photos or []:
        try:
            cleaned.append(clean_image(upload))
        except ValidationError as error:
            raise ValidationError({"photos": error.messages}) from None
    activity = Activity(
        union=union,
        kind=kind,
        title=title.strip(),
        held_on=held_on,
        participant_count=participant_count,
        report=report,
        created_by=actor,
    )
    validate_and_save(activity)
    for content in cleaned:
        ActivityPhoto.objects.create(activity=activity, image=content)
    return activity
