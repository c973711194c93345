import rules
from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhidao.core.crypto import EncryptedCharField, mask_phone


class User(AbstractUser):
    """A person who logs in. Chinese names are one field; first/last name stay unused."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = EncryptedCharField(_("mobile phone"), blank=True, default="")
    must_change_password = models.BooleanField(_("must change password"), default=False)
    # The last four digits of the phone, the part its masked form shows (138****1234) anyway:
    # the encrypted phone cannot be searched, and admins find an account by its phone's end.
    # db_default: rows written without the model (bulk inserts, older migration states in the
    # migration tests) get an empty suffix rather than a NOT NULL error.
    phone_suffix = models.CharField(
        max_length=4, blank=True, default="", db_default="", editable=False
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        indexes = [models.Index(fields=["phone_suffix"], name="user_phone_suffix")]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    def save(self, *args, **kwargs):
        digits = "".join(ch for ch in self.phone or "" if ch.isdigit())
        self.phone_suffix = digits[-4:]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "phone" in update_fields:
            kwargs["update_fields"] = {*update_fields, "phone_suffix"}
        super().save(*args, **kwargs)

    def has_perm(self, perm: str, obj=None) -> bool:
        """The platform's permissions (the apps' rules.py) decide alone, for a superuser too:
        what a superuser may do is written in their predicates, as the services check it (the
        superuser is for installation, SECURITY.md, and is no instructor or union officer).
        Django's own permissions (the admin site's) keep Django's rule."""
        if rules.perm_exists(perm):
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)


class Role(models.TextChoices):
    FEDERATION_ADMIN = "federation_admin", _("Federation admin")
    FEDERATION_LEADER = "federation_leader", _("Federation leader")
    INSTRUCTOR = "instructor", _("Instructor")
    UNION_OFFICER = "union_officer", _("Union officer")
    # 权益保障部工作人员: handles workers' appeals of a federation subtree and may see contacts.
    RIGHTS_STAFF = "rights_staff", _("Rights-protection staff")
    # The three separated administrators (三员分立, SECURITY.md "Separate duties"), each over a
    # federation's subtree: accounts and roles; the security policy and second factors; the
    # audit log, read and exported only. None of them works in the programme.
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


# The roles scoped by a federation (the others: a union, or the instructor's record).
FEDERATION_SCOPED_ROLES = (
    Role.FEDERATION_ADMIN,
    Role.FEDERATION_LEADER,
    Role.RIGHTS_STAFF,
    Role.SYSTEM_ADMIN,
    Role.SECURITY_ADMIN,
    Role.AUDIT_ADMIN,
)
SEPARATED_ADMIN_ROLES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)


class RoleGrant(models.Model):
    """One role of a user with the scope it applies to.

    Federation roles carry the federation whose subtree they cover; the union officer role
    carries its union. The instructor role's scope is its Instructor record's assignments.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    federation = models.ForeignKey(
        "orgs.Federation",
        verbose_name=_("federation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_grants",
    )
    union = models.ForeignKey(
        "orgs.Union",
        verbose_name=_("union"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_grants",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "federation", "union"], name="unique_role_grant"
            ),
            models.CheckConstraint(
                name="role_grant_has_its_scope",
                condition=(
                    models.Q(
                        role__in=[
                            "federation_admin",
                            "federation_leader",
                            "rights_staff",
                            "system_admin",
                            "security_admin",
                            "audit_admin",
                        ],
                        federation__isnull=False,
                        union__isnull=True,
                    )
                    | models.Q(
                        role="union_officer",
                        union__isnull=False,
                        federation__isnull=True,
                    )
                    | models.Q(role="instructor", union__isnull=True, federation__isnull=True)
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class UserSession(AbstractBaseSession):
    """A server-side session that knows whose it is (SESSION_ENGINE zhidao.accounts.sessions,
    Django's "extending database-backed session engines"), so that deactivating an account or
    resetting its password ends every session of it at once, without decoding all sessions."""

    account_id = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore
