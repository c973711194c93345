"""Who may do what with a term-end evaluation. The object is the evaluated assignment."""

import rules

from zhidao.accounts.permissions import administers, visible_through

from . import selectors


@rules.predicate
def is_officer_of_its_union(user, assignment) -> bool:
    """An officer of one of the assignment's unions: the one who rates the instructor."""
    return assignment is not None and selectors.officer_union_for(user, assignment) is not None


rules.add_perm("evaluation.view_evaluation", visible_through(selectors.evaluation_assignment))
rules.add_perm("evaluation.rate_evaluation", is_officer_of_its_union)
# The grade and the final word are the issuing federation's (its admins, in its subtree).
rules.add_perm("evaluation.grade_evaluation", administers)
rules.add_perm("evaluation.finalize_evaluation", administers)
