"""Who may do what with indicator sets, assessments, honours and activities."""

import rules
from django.utils import timezone

from zhidao.accounts.permissions import is_federation_admin, is_instructor, visible_through
from zhidao.accounts.scope import scope_of

from . import selectors


@rules.predicate
def assesses(user, union) -> bool:
    """The instructor of an assignment running at the union today."""
    if union is None or not is_instructor(user):
        return False
    on = timezone.localdate()
    return selectors.unions_assessable_by(user, on=on).filter(pk=union.pk).exists()


@rules.predicate
def is_assessor(user, assessment) -> bool:
    instructor_id = scope_of(user).instructor_id
    return (
        assessment is not None
        and instructor_id is not None
        and (assessment.instructor_id == instructor_id)
    )


@rules.predicate
def records_activities(user) -> bool:
    """Officers of a union, its instructors and its federation's admins record its activities."""
    return selectors.unions_for_activities(user).exists()


rules.add_perm("standards.view_indicatorset", visible_through(selectors.indicator_sets_visible_to))
rules.add_perm(
    "standards.change_indicatorset",
    visible_through(selectors.indicator_sets_editable_by, listed_for=is_federation_admin),
)
rules.add_perm("standards.view_assessment", visible_through(selectors.assessments_visible_to))
rules.add_perm("standards.add_assessment", is_instructor)
rules.add_perm("standards.assess_union", assesses)
# Opening a rectification item from a "no" answer is the assessor's.
rules.add_perm("standards.change_assessment", is_assessor)
rules.add_perm("standards.view_honour", visible_through(selectors.honours_visible_to))
rules.add_perm("standards.add_honour", is_federation_admin)
rules.add_perm("standards.change_honourtitle", is_federation_admin)
rules.add_perm("standards.view_activity", visible_through(selectors.activities_visible_to))
rules.add_perm("standards.add_activity", records_activities)
