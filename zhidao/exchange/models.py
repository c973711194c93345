"""Exchange and mutual learning (交流互学): events with registration and QR sign-in, the case
library (典型经验) with its review, comments, "useful" marks and discussion posts."""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhidao.accounts.scope import scope_of
from zhidao.core.models import TimeStampedModel
from zhidao.core.scoping import CHANGE, ScopedManager, Scoping
from zhidao.core.selectors import NOTHING, any_of, subtree_q
from zhidao.orgs.models import Union, ancestor_paths

# Sign-in opens this long before the start (people arrive early) and closes at the end.
SIGN_IN_OPENS_BEFORE = timedelta(minutes=30)


def new_sign_in_token() -> str:
    return secrets.token_urlsafe(24)


class EventKind(models.TextChoices):
    LECTURE = "lecture", _("Lecture or training")
    SITE_VISIT = "site_visit", _("On-site observation")
    JOINT_ACTIVITY = "joint_activity", _("Joint activity")
    ONLINE = "online", _("Online session")


class Audience(models.TextChoices):
    INSTRUCTORS = "instructors", _("Instructors")
    OFFICERS = "officers", _("Union officers")
    BOTH = "both", _("Instructors and union officers")


# ----- who sees what (the models' scoping) -----


def _membership(user) -> tuple[list[str], list[str]]:
    """Federation paths the user belongs to as an instructor, and as a union officer."""
    cached = getattr(user, "_exchange_membership", None)
    if cached is not None:
        return cached
    scope = scope_of(user)
    instructor_paths: list[str] = []
    officer_paths: list[str] = []
    if scope.is_instructor:
        instructor_paths = [user.instructor.federation.path]
    if scope.union_ids:
        officer_paths = list(
            Union.objects.visible_to(user)
            .filter(pk__in=scope.union_ids)
            .values_list("federation__path", flat=True)
        )
    user._exchange_membership = (instructor_paths, officer_paths)
    return user._exchange_membership


def _above(paths: list[str], field: str = "federation__path") -> Q:
    """Rows whose federation is one of the paths or above one of them."""
    ancestors = sorted({a for path in paths for a in ancestor_paths(path)})
    return Q(**{f"{field}__in": ancestors}) if ancestors else NOTHING


def event_audience_q(user) -> Q:
    """Events the user is an audience member of (may register and sign in)."""
    instructor_paths, officer_paths = _membership(user)
    conditions = []
    if instructor_paths:
        conditions.append(
            _above(instructor_paths) & Q(audience__in=[Audience.INSTRUCTORS, Audience.BOTH])
        )
    if officer_paths:
        conditions.append(
            _above(officer_paths) & Q(audience__in=[Audience.OFFICERS, Audience.BOTH])
        )
    return any_of(conditions)


def _case_community_q(user) -> Q:
    scope = scope_of(user)
    instructor_paths, officer_paths = _membership(user)
    members = instructor_paths + officer_paths + list(scope.federation_paths)
    return any_of([_above(members), *subtree_q(scope.federation_paths)])


def _event_scope(user, scope, action: str) -> Q | None:
    """Staff see their subtree's events and those above them; everyone sees the events whose
    audience they are in; only those may `attend`; admins of the subtree `change` them."""
    if action == "attend":
        return event_audience_q(user)
    if action == CHANGE:
        return any_of(subtree_q(scope.admin_paths))
    conditions = [event_audience_q(user), *subtree_q(scope.federation_paths)]
    if scope.federation_paths:
        conditions.append(_above(list(scope.federation_paths)))
    return any_of(conditions)


def _case_scope(user, scope, action: str) -> Q | None:
    """Published cases of the user's community, the author's own, the subtree's admins all;
    admins `review`; the author `change`s a draft or a returned case."""
    if action == "review":
        return any_of(subtree_q(scope.admin_paths))
    if action == CHANGE:
        return Q(author=user, status__in=[CaseStatus.DRAFT, CaseStatus.RETURNED])
    published = Q(status=CaseStatus.PUBLISHED) & _case_community_q(user)
    return any_of([published, Q(author=user), *subtree_q(scope.admin_paths)])


class Event(TimeStampedModel):
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    federation = models.ForeignKey(
        "orgs.Federation",
        verbose_name=_("organizing federation"),
        on_delete=models.PROTECT,
        related_name="exchange_events",
    )
    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("start time"))
    ends_at = models.TimeField(_("end time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    speaker = models.CharField(_("speaker"), max_length=100, blank=True)
    host_union = models.ForeignKey(
        "orgs.Union",
        verbose_name=_("host union"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_exchange_events",
    )
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    description = models.TextField(pgettext_lazy("exchange event", "description"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    sign_in_token = models.CharField(
        max_length=64, unique=True, default=new_sign_in_token, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    objects = ScopedManager()
    scoping = Scoping(also=_event_scope)

    class Meta:
        verbose_name = _("exchange event")
        verbose_name_plural = _("exchange events")
        ordering = ["-held_on", "-starts_at", "-id"]
        indexes = [models.Index(fields=["federation", "held_on"], name="event_federation_date")]

    def __str__(self) -> str:
        return self.title

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.held_on, self.starts_at))

    @property
    def end(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.held_on, self.ends_at))

    @property
    def sign_in_opens(self) -> datetime:
        return self.start - SIGN_IN_OPENS_BEFORE


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.event}"


class Attendance(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_attendances"
    )
    signed_in_at = models.DateTimeField(_("signed in at"))

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["signed_in_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_sign_in_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.event}"


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    PUBLISHED = "published", _("Published")
    RETURNED = "returned", _("Returned")


class Case(TimeStampedModel):
    """A good practice written up by an instructor (典型经验)."""

    title = models.CharField(_("title"), max_length=200)
    union = models.ForeignKey(
        "orgs.Union", verbose_name=_("union"), on_delete=models.PROTECT, related_name="cases"
    )
    federation = models.ForeignKey(
        "orgs.Federation",
        verbose_name=_("federation"),
        on_delete=models.PROTECT,
        related_name="cases",
        editable=False,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="cases",
        editable=False,
    )
    tags = models.CharField(
        _("tags"), max_length=200, blank=True, help_text=_("Separate tags with spaces or commas.")
    )
    text = models.TextField(pgettext_lazy("case", "text"))
    # jieba search-mode tokens of title, tags and text, space-separated and space-padded.
    search_text = models.TextField(blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = ScopedManager()
    scoping = Scoping(also=_case_scope)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-published_at", "-updated_at", "-id"]
        indexes = [models.Index(fields=["federation", "status"], name="case_federation_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.replace("，", " ").replace(",", " ").split() if t]


class CaseTransition(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=CaseStatus.choices)
    to_status = models.CharField(max_length=16, choices=CaseStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("time"))

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case} · {self.to_status}"


class CaseImage(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="images")
    image = models.FileField(upload_to="exchange/cases/images/%Y/%m/")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.case} · {self.pk}"


class CaseAttachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="exchange/cases/files/%Y/%m/")
    original_name = models.CharField(max_length=255)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class CaseComment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(pgettext_lazy("case discussion", "comment"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author} · {self.case}"


class UsefulMark(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="useful_marks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="one_useful_mark_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.case}"


class Post(models.Model):
    """A question or an answer on an event's or a case's board; replies are one level deep."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, null=True, blank=True, related_name="posts"
    )
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="posts"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("text"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("discussion post")
        verbose_name_plural = _("discussion posts")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="post_on_event_or_case",
                condition=(
                    models.Q(event__isnull=False, case__isnull=True)
                    | models.Q(event__isnull=True, case__isnull=False)
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.author} · {self.text[:20]}"
