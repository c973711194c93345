"""How long each kind of personal or audit data is kept, and what happens after: the rules the
periodic tasks and commands apply, listed on one page for the security administrator.

Each app registers its own rules (appeals/retention.py, exports/retention.py); the audit log's
are here. A rule reads its period from the settings when the page is shown, so the page always
says what the tasks do.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class RetentionRule:
    key: str
    data: str | Promise
    days: Callable[[], int]
    afterwards: str | Promise
    basis: str | Promise
    setting: str = ""
    order: int = 100


_RULES: dict[str, RetentionRule] = {}


def register(rule: RetentionRule) -> RetentionRule:
    _RULES[rule.key] = rule
    return rule


def retention_rules() -> list[RetentionRule]:
    return sorted(_RULES.values(), key=lambda rule: (rule.order, rule.key))


register(
    RetentionRule(
        key="audit-log",
        data=_("Audit log: changes to records, logins, exports and views of personal data"),
        days=lambda: settings.AUDIT_RETENTION_DAYS,
        afterwards=_(
            "Archived with its hash chain to a file (manage.py archive_audit_log, at least "
            "180 days), then removed from the database; never dropped without the file."
        ),
        basis=_("Cybersecurity Law art. 21: network logs kept at least six months"),
        setting="AUDIT_RETENTION_DAYS",
        order=10,
    )
)
