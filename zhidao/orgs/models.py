from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhidao.core.models import TimeStampedModel
from zhidao.core.scoping import ScopedManager, Scoping, roles
from zhidao.core.text import pinyin_full, pinyin_initials

from .validators import validate_credit_code

PATH_STEP = 4  # each tree level adds four base-36 characters and a dot: "0001." -> 1.6M siblings


def ancestor_paths(path: str) -> list[str]:
    """ "0001.0003." -> ["0001.", "0001.0003."]: the node and every federation above it."""
    return [path[:end] for end in range(PATH_STEP + 1, len(path) + 1, PATH_STEP + 1)]


class FederationLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    DISTRICT = "district", _("County / district")


class Federation(TimeStampedModel):
    """A node of the federation tree (省总 → 市总 → 县/区总).

    `path` is a materialized path ("0001.0003.") so that a whole subtree is one indexed
    prefix query however deep the tree is.
    """

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    level = models.CharField(
        pgettext_lazy("federation", "level"), max_length=16, choices=FederationLevel.choices
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent federation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(_("tree path"), max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    region_code = models.CharField(_("administrative region code"), max_length=12, blank=True)
    name_initials = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    # The full pinyin (hunanjiliqiche), for searches typed in pinyin; see zhidao/core/selectors.py.
    name_pinyin = models.CharField(max_length=1000, blank=True, db_index=True, editable=False)

    objects = ScopedManager()
    scoping = Scoping(federation="path", roles=roles(view={"admin", "leader"}, change={"admin"}))

    class Meta:
        verbose_name = _("federation")
        verbose_name_plural = _("federations")
        ordering = ["path"]
        constraints = [
            # One local federation per division (GB/T 2260). Federations of no division of their
            # own (a development zone's, an industry's) leave the code empty.
            models.UniqueConstraint(
                fields=["region_code"],
                condition=~Q(region_code=""),
                name="federation_unique_region_code",
                violation_error_code="unique",
                violation_error_message=_(
                    "Another federation already has this administrative division code."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.parent_id and self.pk and self.parent.path.startswith(self.path or "\0"):
            raise ValidationError({"parent": _("A federation cannot be placed under itself.")})
        level_order = [
            FederationLevel.PROVINCE,
            FederationLevel.CITY,
            FederationLevel.DISTRICT,
        ]
        if (
            self.parent_id
            and self.level in level_order
            and self.parent.level in level_order
            and level_order.index(self.level) <= level_order.index(self.parent.level)
        ):
            raise ValidationError(
                {"level": _("The level must be below the parent federation's level.")}
            )

    def save(self, *args, **kwargs):
        self.name_initials = pinyin_initials(self.name)
        self.name_pinyin = pinyin_full(self.name)
        super().save(*args, **kwargs)


class OrganizationKind(models.TextChoices):
    NEW_ECONOMIC = "new_economic", _("New economic organization")
    NEW_SOCIAL = "new_social", _("New social organization")


class OrganizationSubKind(models.TextChoices):
    PRIVATE_ENTERPRISE = "private_enterprise", _("Private enterprise")
    FOREIGN_FUNDED = "foreign_funded", _("Foreign-funded enterprise")
    HMT_FUNDED = "hmt_funded", _("Hong Kong, Macao or Taiwan funded enterprise")
    MIXED_OWNERSHIP = "mixed_ownership", _("Mixed-ownership enterprise")
    INDIVIDUAL_BUSINESS = "individual_business", _("Individual business")
    SOCIAL_GROUP = "social_group", _("Social group")
    PRIVATE_NON_ENTERPRISE = "private_non_enterprise", _("Private non-enterprise unit")
    FOUNDATION = "foundation", _("Foundation")
    LAW_FIRM = "law_firm", _("Law firm")
    ACCOUNTING_FIRM = "accounting_firm", _("Accounting firm")
    OTHER_INTERMEDIARY = "other_intermediary", _("Other intermediary")


SUB_KINDS_BY_KIND = {
    OrganizationKind.NEW_ECONOMIC: {
        OrganizationSubKind.PRIVATE_ENTERPRISE,
        OrganizationSubKind.FOREIGN_FUNDED,
        OrganizationSubKind.HMT_FUNDED,
        OrganizationSubKind.MIXED_OWNERSHIP,
        OrganizationSubKind.INDIVIDUAL_BUSINESS,
    },
    OrganizationKind.NEW_SOCIAL: {
        OrganizationSubKind.SOCIAL_GROUP,
        OrganizationSubKind.PRIVATE_NON_ENTERPRISE,
        OrganizationSubKind.FOUNDATION,
        OrganizationSubKind.LAW_FIRM,
        OrganizationSubKind.ACCOUNTING_FIRM,
        OrganizationSubKind.OTHER_INTERMEDIARY,
    },
}


class Industry(models.TextChoices):
    """GB/T 4754-2017 国民经济行业分类, sections A–T."""

    A = "A", _("A Agriculture, forestry, animal husbandry and fishery")
    B = "B", _("B Mining")
    C = "C", _("C Manufacturing")
    D = "D", _("D Electricity, heat, gas and water supply")
    E = "E", _("E Construction")
    F = "F", _("F Wholesale and retail")
    G = "G", _("G Transport, storage and postal services")
    H = "H", _("H Accommodation and catering")
    I = "I", _("I Information transmission, software and IT services")
    J = "J", _("J Finance")
    K = "K", _("K Real estate")
    L = "L", _("L Leasing and business services")
    M = "M", _("M Scientific research and technical services")
    N = "N", _("N Water, environment and public facilities management")
    O = "O", _("O Resident services, repair and other services")
    P = "P", _("P Education")
    Q = "Q", _("Q Health and social work")
    R = "R", _("R Culture, sports and entertainment")
    S = "S", _("S Public administration, social security and social organizations")
    T = "T", _("T International organizations")


class OrganizationStatus(models.TextChoices):
    ACTIVE = "active", _("Operating")
    SUSPENDED = "suspended", _("Suspended")
    DEREGISTERED = "deregistered", _("Deregistered")


class Organization(TimeStampedModel):
    """A 两新 organization: a non-public enterprise or a new social organization."""

    name = models.CharField(_("name"), max_length=200)
    name_initials = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    # The full pinyin (hunanjiliqiche), for searches typed in pinyin; see zhidao/core/selectors.py.
    name_pinyin = models.CharField(max_length=1000, blank=True, db_index=True, editable=False)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        error_messages={"unique": _("An organization with this credit code already exists.")},
    )
    kind = models.CharField(
        pgettext_lazy("organization", "kind"), max_length=16, choices=OrganizationKind.choices
    )
    sub_kind = models.CharField(_("sub-kind"), max_length=32, choices=OrganizationSubKind.choices)
    industry = models.CharField(_("industry"), max_length=1, choices=Industry.choices)
    federation = models.ForeignKey(
        Federation,
        verbose_name=_("owning federation"),
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    district = models.CharField(_("district"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    employee_count = models.PositiveIntegerField(_("number of employees"), default=0)
    union = models.ForeignKey(
        "Union",
        verbose_name=_("union"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organizations",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=OrganizationStatus.choices,
        default=OrganizationStatus.ACTIVE,
    )

    # The search of one or two characters reads these from an index on PostgreSQL
    # (zhidao/core/lookups.py; migration 0007).
    gram_indexed_fields = ("name", "name_pinyin", "name_initials")
    objects = ScopedManager()
    # A poster (and an appeal entered from another channel) is a federation admin's, or the
    # instructor's of an active assignment there.
    scoping = Scoping(
        federation="federation__path",
        instructor="assignment_links__assignment__instructor_id",
        union="union_id",
        roles=roles(
            view={"admin", "leader", "instructor", "union"}, change={"admin"}, poster={"admin"}
        ),
        also=lambda user, scope, action: (
            Q(
                pk__in=Organization._base_manager.filter(
                    assignment_links__assignment__instructor_id=scope.instructor_id,
                    assignment_links__assignment__status="active",  # dispatch's ACTIVE
                ).values("pk")
            )
            if action == "poster" and scope.instructor_id is not None
            else None
        ),
    )

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["federation", "status"], name="org_federation_status"),
            models.Index(fields=["kind", "sub_kind"], name="org_kind_sub_kind"),
            models.Index(fields=["industry"], name="org_industry"),
            models.Index(fields=["district"], name="org_district"),
            models.Index(fields=["name", "id"], name="org_name_id"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        if self.kind and self.sub_kind:
            allowed = SUB_KINDS_BY_KIND.get(self.kind, set())
            if self.sub_kind not in allowed:
                errors["sub_kind"] = _("This sub-kind does not belong to the chosen kind.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Enter both latitude and longitude, or neither.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.name_initials = pinyin_initials(self.name)
        self.name_pinyin = pinyin_full(self.name)
        if self.credit_code:
            self.credit_code = self.credit_code.strip().upper()
        super().save(*args, **kwargs)


class UnionStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DISSOLVED = "dissolved", _("Dissolved")


class Union(TimeStampedModel):
    """A grassroots union (基层工会); a joint union (联合工会) covers several organizations."""

    name = models.CharField(_("name"), max_length=200)
    name_initials = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    # The full pinyin (hunanjiliqiche), for searches typed in pinyin; see zhidao/core/selectors.py.
    name_pinyin = models.CharField(max_length=1000, blank=True, db_index=True, editable=False)
    federation = models.ForeignKey(
        Federation,
        verbose_name=_("owning federation"),
        on_delete=models.PROTECT,
        related_name="unions",
    )
    is_joint = models.BooleanField(_("joint union"), default=False)
    founded_on = models.DateField(_("founding date"), null=True, blank=True)
    chair_name = models.CharField(_("chair"), max_length=50, blank=True)
    member_count = models.PositiveIntegerField(_("number of members"), default=0)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=UnionStatus.choices,
        default=UnionStatus.ACTIVE,
    )

    # The search of one or two characters reads these from an index on PostgreSQL
    # (zhidao/core/lookups.py; migration 0007).
    gram_indexed_fields = ("name", "name_pinyin", "name_initials")
    objects = ScopedManager()
    # Activities (技能比武 …) are recorded by the union's officers, its instructors and admins.
    scoping = Scoping(
        federation="federation__path",
        instructor="organizations__assignment_links__assignment__instructor_id",
        union="pk",
        roles=roles(
            view={"admin", "leader", "instructor", "union"},
            change={"admin"},
            activities={"admin", "instructor", "union"},
        ),
    )

    class Meta:
        verbose_name = _("union")
        verbose_name_plural = _("unions")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["federation", "status"], name="union_federation_status"),
            models.Index(fields=["name", "id"], name="union_name_id"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_initials = pinyin_initials(self.name)
        self.name_pinyin = pinyin_full(self.name)
        super().save(*args, **kwargs)
