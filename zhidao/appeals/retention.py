"""The retention of appeals' personal data (the audit app lists it: audit/retention.py)."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from zhidao.audit.retention import RetentionRule, register

from .public_services import IP_HASH_RETENTION

register(
    RetentionRule(
        key="appeal-contacts",
        data=_("Name and phone of the submitter of a closed or not accepted appeal"),
        days=lambda: settings.APPEALS_CONTACT_RETENTION_DAYS,
        afterwards=_(
            "Erased by the appeals tick (every 15 minutes), counted from the day the appeal "
            "closed; the erasure is in the audit log and on the appeal's timeline. The appeal "
            "itself stays, without the contact."
        ),
        basis=_("PIPL art. 19 and 47; the consent text on the public form names the days"),
        setting="APPEALS_CONTACT_RETENTION_DAYS",
        order=20,
    )
)
register(
    RetentionRule(
        key="appeal-ip-hashes",
        data=_("Keyed hash of the address an appeal was sent from (abuse protection only)"),
        days=lambda: IP_HASH_RETENTION.days,
        afterwards=_("Erased by the appeals tick."),
        basis=_("PIPL art. 19: kept no longer than the purpose needs"),
        order=30,
    )
)
