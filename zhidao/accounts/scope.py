"""What a user may see, computed once per request.

Every selector starts from `scope_of(user)`. Federation roles are expressed as materialized-path
prefixes, so "everything under 湘潭市总工会" is one indexed `path LIKE '0001.0002.%'` filter.
"""

from dataclasses import dataclass, field

from .models import SEPARATED_ADMIN_ROLES, Role


@dataclass(frozen=True)
class Scope:
    admin_paths: tuple[str, ...] = ()
    leader_paths: tuple[str, ...] = ()
    rights_paths: tuple[str, ...] = ()
    # The separated administrators' subtrees (三员分立).
    system_admin_paths: tuple[str, ...] = ()
    security_admin_paths: tuple[str, ...] = ()
    audit_admin_paths: tuple[str, ...] = ()
    union_ids: tuple[int, ...] = ()
    instructor_id: int | None = None
    is_superuser: bool = False
    roles: frozenset[str] = field(default_factory=frozenset)
    # The federation the user works for, named in the print header: the outermost one of its
    # federation roles, else its instructor's or its union's. Read with the grants, no query.
    federation_name: str = ""

    @property
    def federation_paths(self) -> tuple[str, ...]:
        """Subtrees the user may read (admins and leaders alike)."""
        return self.admin_paths + self.leader_paths

    @property
    def is_rights_staff(self) -> bool:
        return bool(self.rights_paths)

    def can_handle_rights_path(self, path: str) -> bool:
        """Rights-protection staff of a federation above (or at) the path."""
        return any(path.startswith(prefix) for prefix in self.rights_paths)

    @property
    def is_system_admin(self) -> bool:
        return bool(self.system_admin_paths)

    @property
    def is_security_admin(self) -> bool:
        return bool(self.security_admin_paths)

    @property
    def is_audit_admin(self) -> bool:
        return bool(self.audit_admin_paths)

    @property
    def is_separated_admin(self) -> bool:
        """One of the three administrators: their pages only, nothing of the programme."""
        return bool(self.system_admin_paths or self.security_admin_paths or self.audit_admin_paths)

    @property
    def account_admin_paths(self) -> tuple[str, ...]:
        """Subtrees whose accounts the user administers: a federation admin's and the system
        administrator's."""
        return _outermost([*self.admin_paths, *self.system_admin_paths])

    def can_administer_accounts_at(self, path: str) -> bool:
        return any(path.startswith(prefix) for prefix in self.account_admin_paths)

    @property
    def requires_second_factor(self) -> bool:
        """Who must log in with a second factor where it is enforced (SECURITY.md): federation
        admins, rights-protection staff (they unmask contacts), the three administrators and
        the superuser."""
        return bool(
            self.is_superuser or self.admin_paths or self.rights_paths or self.is_separated_admin
        )

    @property
    def is_federation_admin(self) -> bool:
        return bool(self.admin_paths)

    @property
    def is_federation_staff(self) -> bool:
        return bool(self.admin_paths or self.leader_paths)

    @property
    def is_instructor(self) -> bool:
        return self.instructor_id is not None

    @property
    def is_union_officer(self) -> bool:
        return bool(self.union_ids)

    def can_administer_path(self, path: str) -> bool:
        return any(path.startswith(prefix) for prefix in self.admin_paths)


EMPTY_SCOPE = Scope()


def scope_of(user) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return EMPTY_SCOPE
    cached = getattr(user, "_zhidao_scope", None)
    if cached is not None:
        return cached
    admin_paths: list[str] = []
    leader_paths: list[str] = []
    rights_paths: list[str] = []
    separated: dict[str, list[str]] = {role: [] for role in SEPARATED_ADMIN_ROLES}
    union_ids: list[int] = []
    roles: set[str] = set()
    federation_names: dict[str, str] = {}
    union_federation_name = ""
    instructor_id = None
    instructor_federation_name = ""
    # The user's instructor record comes in the same query (through the user's reverse
    # relation: accounts sits below dispatch, where Instructor is): one round trip on every page.
    grants = user.role_grants.values_list(
        "role",
        "union_id",
        "federation__path",
        "federation__name",
        "union__federation__name",
        "user__instructor__pk",
        "user__instructor__federation__name",
    )
    for (
        role,
        union_id,
        federation_path,
        federation_name,
        union_federation,
        instructor_pk,
        instructor_federation,
    ) in grants:
        roles.add(role)
        if instructor_pk is not None:
            instructor_id, instructor_federation_name = instructor_pk, instructor_federation or ""
        if federation_path:
            federation_names[federation_path] = federation_name
        if union_federation:
            union_federation_name = union_federation_name or union_federation
        if role == Role.FEDERATION_ADMIN:
            admin_paths.append(federation_path)
        elif role == Role.FEDERATION_LEADER:
            leader_paths.append(federation_path)
        elif role == Role.RIGHTS_STAFF:
            rights_paths.append(federation_path)
        elif role == Role.UNION_OFFICER:
            union_ids.append(union_id)
        elif role in separated:
            separated[role].append(federation_path)
    if Role.INSTRUCTOR not in roles:
        # Only the instructor role makes the record count (a record left without the role).
        instructor_id, instructor_federation_name = None, ""
    outermost = min(federation_names, key=lambda path: (len(path), path), default="")
    scope = Scope(
        admin_paths=_outermost(admin_paths),
        leader_paths=_outermost(leader_paths),
        rights_paths=_outermost(rights_paths),
        system_admin_paths=_outermost(separated[Role.SYSTEM_ADMIN]),
        security_admin_paths=_outermost(separated[Role.SECURITY_ADMIN]),
        audit_admin_paths=_outermost(separated[Role.AUDIT_ADMIN]),
        union_ids=tuple(sorted(union_ids)),
        instructor_id=instructor_id,
        is_superuser=user.is_superuser,
        roles=frozenset(roles),
        federation_name=federation_names.get(outermost)
        or instructor_federation_name
        or union_federation_name
        or "",
    )
    user._zhidao_scope = scope
    return scope


def _outermost(paths: list[str]) -> tuple[str, ...]:
    """Drop paths already covered by an ancestor path, so filters stay short."""
    kept: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(prefix) for prefix in kept):
            kept.append(path)
    return tuple(kept)
