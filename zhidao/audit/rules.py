"""The audit log is read (and exported) by the audit administrator only (三员分立), over the
people of its subtree; nobody changes it. The retention settings are read by the security
administrator, who sets the security policy."""

import rules

from . import selectors


@rules.predicate
def reads_audit_log(user) -> bool:
    return selectors.can_read_audit_log(user)


@rules.predicate
def sets_security_policy(user) -> bool:
    """The security administrator (三员分立) reads the retention policy."""
    return selectors.can_read_security_policy(user)


rules.add_perm("audit.view_logentry", reads_audit_log)
rules.add_perm("audit.view_accessevent", reads_audit_log)
rules.add_perm("audit.view_retention", sets_security_policy)
