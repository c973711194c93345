"""The retention of background exports' files (the audit app lists it: audit/retention.py)."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from zhidao.audit.retention import RetentionRule, register

register(
    RetentionRule(
        key="export-files",
        data=_("Files of background exports, in the requester's inbox"),
        days=lambda: settings.EXPORT_FILE_DAYS,
        afterwards=_("Deleted by the nightly task; the export itself stays in the audit log."),
        basis=_("PIPL art. 19: kept no longer than the purpose needs"),
        setting="EXPORT_FILE_DAYS",
        order=40,
    )
)
