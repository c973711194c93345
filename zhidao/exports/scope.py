"""The scope part of a download's name: the user's federation, instructor or union."""

from zhidao.core.scoping import scope_for
from zhidao.dispatch.models import Instructor
from zhidao.orgs.models import Federation, Union


def scope_name(user) -> str:
    scope = scope_for(user)
    paths = sorted(scope.admin_paths + scope.leader_paths + scope.rights_paths, key=len)
    if paths:
        name = Federation.objects.unscoped().filter(path=paths[0]).values_list("name", flat=True)
        return name.first() or ""
    if scope.instructor_id is not None:
        instructor = Instructor.objects.unscoped().filter(pk=scope.instructor_id)
        return instructor.values_list("name", flat=True).first() or ""
    if scope.union_ids:
        union = Union.objects.unscoped().filter(pk=scope.union_ids[0])
        return union.values_list("name", flat=True).first() or ""
    return ""
