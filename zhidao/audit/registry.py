"""Which models the audit log follows, and which of their fields it never copies."""

from auditlog.registry import auditlog
from django.apps import apps

# app label -> model names. Encrypted fields are masked in the log: the log is read by more
# people than may see a phone number in clear.
AUDITED_MODELS = {
    "accounts": {
        "User": {"exclude_fields": ["password", "last_login"], "mask_fields": ["phone"]},
        "RoleGrant": {},
    },
    "orgs": {"Federation": {}, "Organization": {}, "Union": {}},
    "dispatch": {
        "Instructor": {"mask_fields": ["phone"]},
        "Batch": {},
        "Assignment": {"m2m_fields": {"organizations"}},
        "AssignmentOrganization": {},
    },
}


def register_domain_models() -> None:
    for app_label, models in AUDITED_MODELS.items():
        for model_name, options in models.items():
            model = apps.get_model(app_label, model_name)
            if not auditlog.contains(model):
                auditlog.register(model, **options)
