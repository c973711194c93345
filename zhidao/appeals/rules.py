"""Who may do what with appeals. Everyone reads the appeals the scoped selector shows (with the
submitter masked or redacted as `selectors.contact_access` decides); handling follows the
services' own tests: federation admins and rights-protection staff of the subtree run every
step, the organization's instructor accepts, the assigned handler works the appeal. The public
pages (under /v/) need no account at all."""

import rules

from zhidao.accounts.permissions import is_federation_admin, is_instructor, visible_through

from . import public_selectors, selectors, services


@rules.predicate
def accepts(user, appeal) -> bool:
    return appeal is not None and services.can_accept(user, appeal)


@rules.predicate
def works(user, appeal) -> bool:
    return appeal is not None and services.can_work(user, appeal)


@rules.predicate
def sees_photos(user, appeal) -> bool:
    # Photos can show faces or documents: not for the employer's union (SECURITY.md).
    return appeal is not None and selectors.contact_access(user, appeal) != selectors.REDACTED


rules.add_perm("appeals.view_appeal", visible_through(selectors.appeals_visible_to))
rules.add_perm("appeals.view_appealphoto", sees_photos)
# Intake from another channel (a phone call, a visit): admins and the organizations' instructors.
rules.add_perm("appeals.add_appeal", is_federation_admin | is_instructor)
rules.add_perm("appeals.accept_appeal", accepts)
rules.add_perm("appeals.start_appeal", works)
rules.add_perm("appeals.answer_appeal", works)
rules.add_perm("appeals.resolve_appeal", works)
rules.add_perm("appeals.escalate_appeal", works)
rules.add_perm("appeals.reject_appeal", works | accepts)
rules.add_perm("appeals.view_appealnotification", rules.is_authenticated)
# The QR poster of an organization (its object is the organization): printed by its admins and
# its instructor; a new QR code (the old poster stops working) is the admins' decision.
rules.add_perm(
    "appeals.view_postertoken",
    visible_through(public_selectors.organizations_for_posters, listed_for=is_federation_admin),
)
rules.add_perm(
    "appeals.change_postertoken",
    visible_through(
        public_selectors.organizations_whose_poster_rotates_for, listed_for=is_federation_admin
    ),
)
