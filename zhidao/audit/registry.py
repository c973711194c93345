"""Which models the audit log follows, and how it treats their sensitive fields."""

import re

from auditlog.registry import auditlog
from django.apps import apps

from zhidao.core.crypto import mask_phone

_MASK = "mask_callable"
_MASKER = "zhidao.audit.registry.mask_sensitive"

# app label -> model names. Encrypted fields are masked in the log: the log is read by more
# people than may see a phone number in clear. The password hash is masked rather than left
# out so that a password change still leaves an entry ("password: ****** → ******").
AUDITED_MODELS = {
    "accounts": {
        "User": {
            # The phone's last four digits follow the (masked) phone: no entry of their own.
            "exclude_fields": ["last_login", "phone_suffix"],
            "mask_fields": ["password", "phone"],
            _MASK: _MASKER,
        },
        "RoleGrant": {},
    },
    "orgs": {"Federation": {}, "Organization": {}, "Union": {}},
    # Who imported which file when, with its counts; the preview, the errors and the sealed
    # one-time passwords are not changes worth a log line.
    "imports": {"ImportJob": {"exclude_fields": ["preview", "errors", "sealed_accounts"]}},
    "dispatch": {
        "Instructor": {"mask_fields": ["phone"], _MASK: _MASKER},
        "Batch": {},
        "Assignment": {"m2m_fields": {"organizations"}},
        "AssignmentOrganization": {},
    },
    "evaluation": {"Evaluation": {}, "EvaluationRating": {}},
    "holidays": {"CalendarYear": {}, "CalendarDay": {}},
    "reports": {"QuarterlyReport": {}},
    "fieldwork": {
        "OnSiteDay": {},
        "WorkRecord": {},
        "Finding": {},
        "PracticalMatter": {},
        "LeaveRequest": {},
    },
    "standards": {
        "IndicatorSet": {},
        "Assessment": {},
        "Honour": {},
        "HonourTitle": {},
        "Activity": {},
    },
    "exchange": {
        "Event": {},
        "Registration": {},
        "Attendance": {},
        "Case": {"exclude_fields": ["search_text"]},
        "CaseTransition": {},
    },
    "appeals": {
        # The contact never goes into the log, not even masked; the IP hash is not a change.
        "Appeal": {"exclude_fields": ["submitter_name", "submitter_phone", "ip_hash"]},
        "PosterToken": {"exclude_fields": ["token"]},
        "AppealSettings": {},
    },
}

_PHONE_LIKE = re.compile(r"\+?[\d\- ]{5,20}")
HIDDEN = "******"


def mask_sensitive(value: str) -> str:
    """A phone as on screen (138****1234); anything else (a password hash) hidden whole.

    django-auditlog's default mask keeps the second half of the value, which for an 11-digit
    phone number leaves six digits readable.
    """
    if value in ("", "None"):
        return value
    if _PHONE_LIKE.fullmatch(value):
        return mask_phone(value)
    return HIDDEN


def register_domain_models() -> None:
    for app_label, models in AUDITED_MODELS.items():
        for model_name, options in models.items():
            model = apps.get_model(app_label, model_name)
            if not auditlog.contains(model):
                auditlog.register(model, **options)


def audited_models() -> list:
    return [
        apps.get_model(app_label, model_name)
        for app_label, models in AUDITED_MODELS.items()
        for model_name in models
    ]
