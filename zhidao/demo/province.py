"""The province tier (PERFORMANCE.md): 湖南省总工会 with its 14 city and 122 county federations,
100,000 organizations, 3,000 instructors and three years of history, written in bulk.

`load_demo --tier province [--scale 0.01]` runs it. The city demo (load_demo.py) goes through the
services, which is right for 2,000 organizations and far too slow for millions of rows; this
path writes plain rows (bulk.py: COPY on PostgreSQL) and therefore keeps, itself, what the
services and signals would have kept:

- federations are created by `orgs.services.create_federation` (137 of them: paths, depths, the
  audit entry); everything below them is written in bulk with the pinyin initials filled;
- an instructor has at most one assignment per term, to organizations of its own federation's
  subtree (a city's or the province's instructor first to the units it owns directly), and no
  organization has two instructors in the same term; the status follows the dates;
- on-site days lie on working days (chinese_calendar) inside the assignment's term, up to
  yesterday; confirmations and disputes are by the union's officer account, after the check-in;
- every login of an instructor or officer on those days leaves an access event (the audit log);
- appeals get deadlines in working days of the holiday table, like `appeals.sla`, and a
  timeline whose every step lies before the load day;
- the summary rows (figures) are rebuilt once at the end, as after the city demo.

The same seed on the same day gives the same data. Memory is bounded by the writer's chunk and
by the per-term plan (assignments and their organizations), not by the history.
"""

from __future__ import annotations

import bisect
import dataclasses
import math
import random
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from pypinyin import lazy_pinyin

from zhidao.accounts.models import Role, RoleGrant, User
from zhidao.appeals.demo import EARLIER, HOURS_TO_REACH, PUBLIC, TEXTS
from zhidao.appeals.models import (
    TICKET_ALPHABET,
    TICKET_LENGTH,
    Appeal,
    AppealChannel,
    AppealEvent,
    AppealEventKind,
    AppealMessage,
    AppealState,
    MessageSender,
    PosterToken,
    format_ticket_code,
    new_poster_token,
)
from zhidao.appeals.stats import rebuild as rebuild_appeal_stats
from zhidao.audit.models import AccessEvent, AccessEventKind
from zhidao.core.services import validate_and_save
from zhidao.core.text import pinyin_initials
from zhidao.dispatch.models import (
    Assignment,
    AssignmentOrganization,
    AssignmentStatus,
    Batch,
    Instructor,
    InstructorStatus,
    one_year_after,
)
from zhidao.dispatch.services import normalize_work_phone
from zhidao.fieldwork.models import (
    ConfirmationMethod,
    Finding,
    FindingTransition,
    LeaveKind,
    LeaveRequest,
    LeaveStatus,
    OnSiteDay,
    OnSiteDayStatus,
    WorkRecord,
)
from zhidao.fieldwork.services import distance_m
from zhidao.figures.refresh import rebuild as rebuild_figures
from zhidao.holidays.calendar import WorkingCalendar
from zhidao.holidays.models import CalendarDay, CalendarYear
from zhidao.holidays.seeding import seed_from_package
from zhidao.orgs import divisions
from zhidao.orgs import services as org_services
from zhidao.orgs.models import (
    SUB_KINDS_BY_KIND,
    Federation,
    FederationLevel,
    Organization,
    OrganizationKind,
    OrganizationStatus,
    Union,
)
from zhidao.orgs.setup.services import plan_tree

from . import data, schedule
from .bulk import BulkWriter
from .fieldwork import (
    _DAYS_TO_CLOSE,
    DISPUTE_REASONS,
    DUTY_WEIGHTS,
    FINDING_TEXTS,
    RECORD_TEXTS,
    SYNTHETIC_MATTERS,
    FieldworkHistory,
    _aware,
    _state_after,
)
from .names import ROADS, STREETS, CreditCodes, OrganizationNames, PersonNames, province_places

PROVINCE_CODE = "430000"


@dataclass(frozen=True)
class Tier:
    organizations: int = 100_000
    instructors: int = 3_000
    appeals: int = 100_000

    def scaled(self, scale: float) -> Tier:
        return Tier(
            organizations=max(200, round(self.organizations * scale)),
            instructors=max(12, round(self.instructors * scale)),
            appeals=max(30, round(self.appeals * scale)),
        )


PROVINCE_TIER = Tier()
# The terms of every federation, as during the reference term (schedule.py moves them): the
# history runs from 1 December of the first term's year, three years before the load day.
TERMS = (
    data.BatchSpec("第一期", 2023, date(2023, 3, 1), None, ends_on=date(2024, 2, 29)),
    data.BatchSpec("第二期", 2024, date(2024, 3, 1), None),
    data.BatchSpec("第三期", 2025, date(2025, 3, 1), None),
    data.BatchSpec("第四期", 2026, date(2026, 3, 1), None),
)
HISTORY_START = date(2023, 12, 1)
# Share of the instructors that joined in each term; a few retired after the second.
JOINED = {2023: 70, 2024: 10, 2025: 10, 2026: 10}
RETIRED_SHARE = 0.04
RECORDS_PER_DAY = (1, 2, 2, 3, 3, 3)
_UNION_COMMITTEE_MINIMUM = 25
_ECONOMIC = {str(s) for s in SUB_KINDS_BY_KIND[OrganizationKind.NEW_ECONOMIC]}
MOBILE_AGENT = (
    "Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36"
)
DESK_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"
)
IP_PREFIXES = ("223.104", "117.136", "120.227", "10.18")
PARTICIPANTS = ("工会主席、职工代表", "企业人力资源部负责人", "一线职工")
PROVINCE_LOGINS = (
    ("province_admin", "周建华", Role.FEDERATION_ADMIN),
    ("province_leader", "李卫国", Role.FEDERATION_LEADER),
    ("province_rights", "何敏", Role.RIGHTS_STAFF),
)


def province_is_loaded() -> bool:
    """Whether the province tier is there: its organizations are in its county federations."""
    return Organization.objects.filter(
        federation__level=FederationLevel.DISTRICT,
        federation__parent__parent__region_code=PROVINCE_CODE,
    ).exists()


@dataclasses.dataclass
class _Org:
    """What the plan needs of an organization (the row itself is written and forgotten)."""

    pk: int
    name: str
    federation_id: int
    union_id: int | None
    latitude: object
    longitude: object
    employee_count: int
    candidate: bool


class ProvinceLoader:
    def __init__(self, *, tier: Tier, seed: int, today: date, stdout=None):
        self.tier = tier
        self.today = today
        self.rng = random.Random(seed)
        self.years_moved = schedule.years_after_reference(today)
        self.history_start = schedule.shift(HISTORY_START, self.years_moved)
        self.last_day = today - timedelta(days=1)
        self.today_starts = _aware(today, 0, 0)
        self.password_hash = make_password(data.DEMO_PASSWORD)
        self.writer = BulkWriter()
        self.stdout = stdout
        self.people = PersonNames(self.rng)
        self.usernames = set(User.objects.values_list("username", flat=True))
        self.started = time.monotonic()

    def _say(self, text: str) -> None:
        if self.stdout is not None:
            elapsed = time.monotonic() - self.started
            cpu = time.process_time()
            self.stdout.write(f"[{elapsed:6.1f} s, {cpu:6.1f} s CPU] {text}")
            self.stdout.flush()

    def load(self) -> dict[str, int]:
        seed_from_package(CalendarYear, CalendarDay)
        if self.writer.skip_row_checks():
            self._say("foreign keys: checked set-based at the end")
        self._create_federations()
        self._create_logins()
        self._say("federations and logins written")
        self._create_organizations()
        self._say(f"{len(self.orgs)} organizations written")
        self._create_instructors()
        self._plan_assignments()
        self._create_officers()
        self.writer.flush()
        self._say(f"{len(self.assignments)} assignments written")
        counts = self._write_history()
        self._say("history written")
        counts["appeals"] = self._write_appeals()
        self.writer.flush()
        self._say("appeals written; rebuilding the summary rows")
        counts["figures rows"] = rebuild_figures(today=self.today, write=self._write_figures)
        counts["appeal statistics rows"] = rebuild_appeal_stats()
        self._say("summary rows rebuilt")
        self.writer.finish(also_check=[Federation, User, RoleGrant])
        self._say("foreign keys checked, sequences moved on")
        written = {model._meta.verbose_name_plural: n for model, n in self.writer.written.items()}
        return {
            "federations": len(self.federations),
            "organizations": len(self.orgs),
            "unions": self.writer.written.get(Union, 0),
            "instructors": len(self.instructors),
            "assignments": len(self.assignments),
            **counts,
            "access events": written.get(AccessEvent._meta.verbose_name_plural, 0),
        }

    def _write_figures(self, assignment_rows: list, organization_rows: list) -> None:
        """figures.refresh builds the summary rows as always; they are written with COPY."""
        for row in assignment_rows:
            self.writer.add(row)
        for row in organization_rows:
            self.writer.add(row)
        self.writer.flush()

    # --- federations and logins -------------------------------------------------------------

    def _create_federations(self) -> None:
        province_division = divisions.get(PROVINCE_CODE)
        assert province_division is not None
        self.cities, self.places = province_places(PROVINCE_CODE)
        existing = {f.region_code: f for f in Federation.objects.exclude(region_code="")}
        by_code: dict[str, Federation] = {}
        for planned in plan_tree(province_division):
            code = planned.division.code
            if code in existing:
                by_code[code] = existing[code]
                continue
            parent = by_code.get(planned.division.parent_code)
            by_code[code] = org_services.create_federation(
                name=planned.name,
                short_name=planned.short_name,
                level=planned.level,
                parent=parent,
                region_code=code,
            )
        self.federations = by_code
        self.province = by_code[PROVINCE_CODE]

    def _user(self, username: str, full_name: str, **flags) -> User:
        user = User(username=username, full_name=full_name, password=self.password_hash, **flags)
        validate_and_save(user)
        self.usernames.add(username)
        return user

    def _create_logins(self) -> None:
        self.staff: list[User] = []
        if "root" not in self.usernames:
            self._user("root", "系统管理员", is_staff=True, is_superuser=True)
        for username, full_name, role in PROVINCE_LOGINS:
            if username in self.usernames:
                continue
            user = self._user(username, full_name)
            validate_and_save(RoleGrant(user=user, role=role, federation=self.province))
            self.staff.append(user)

    # --- organizations and unions -----------------------------------------------------------

    def _create_organizations(self) -> None:
        rng, writer = self.rng, self.writer
        names = OrganizationNames(rng)
        codes = CreditCodes(rng, set(Organization.objects.values_list("credit_code", flat=True)))
        sub_kinds = [(sub_kind, prefix) for sub_kind, _share, prefix in data.SUB_KIND_MIX]
        sub_kind_weights = [share for _sub_kind, share, _prefix in data.SUB_KIND_MIX]
        place_weights = [place.weight for place in self.places]
        oldest = schedule.shift(date(2003, 1, 1), self.years_moved)
        self.orgs: list[_Org] = []
        self.union_names: dict[int, str] = {}
        grouped: list[Organization] = []  # written once their joint union is known
        joint_groups: dict[tuple[int, str], list[Organization]] = defaultdict(list)
        stamp = self.writer.now
        for _ in range(self.tier.organizations):
            place = rng.choices(self.places, weights=place_weights)[0]
            sub_kind, prefix = rng.choices(sub_kinds, weights=sub_kind_weights)[0]
            name, industry = names.draw(sub_kind, place)
            employees = _employee_count(rng, sub_kind)
            owner = self.federations[place.code]
            roll = rng.random()
            if employees >= 1000 and roll < 0.05:
                owner = self.province  # 省总直属
            elif roll < (0.3 if employees >= 300 else 0.03):
                owner = self.federations[place.city_code]  # 市总直属
            street = rng.choice(STREETS)
            status = rng.choices(
                [
                    OrganizationStatus.ACTIVE,
                    OrganizationStatus.SUSPENDED,
                    OrganizationStatus.DEREGISTERED,
                ],
                weights=[96, 3, 1],
            )[0]
            organization = Organization(
                name=name,
                name_initials=pinyin_initials(name),
                credit_code=codes.draw(prefix, place.code),
                kind=OrganizationKind.NEW_ECONOMIC
                if sub_kind in _ECONOMIC
                else OrganizationKind.NEW_SOCIAL,
                sub_kind=sub_kind,
                industry=industry,
                federation_id=owner.pk,
                district=place.name,
                address=f"{place.city_name}{place.name}{street}{rng.choice(ROADS)}"
                f"{rng.randint(1, 399)}号",
                latitude=_coordinate(place.latitude + rng.gauss(0, 0.02)),
                longitude=_coordinate(place.longitude + rng.gauss(0, 0.02)),
                employee_count=employees,
                status=status,
                created_at=stamp,
                updated_at=stamp,
            )
            organization.pk = writer.next_id(Organization)
            if status != OrganizationStatus.DEREGISTERED:
                if employees >= _UNION_COMMITTEE_MINIMUM:
                    if rng.random() < 0.9:
                        union = self._union(f"{name}工会", owner.pk, employees, oldest)
                        organization.union_id = union.pk
                elif rng.random() < 0.45:
                    joint_groups[(owner.pk, f"{place.city_name}{place.name}{street}")].append(
                        organization
                    )
                    grouped.append(organization)
            self.orgs.append(
                _Org(
                    pk=organization.pk,
                    name=name,
                    federation_id=owner.pk,
                    union_id=organization.union_id,
                    latitude=organization.latitude,
                    longitude=organization.longitude,
                    employee_count=employees,
                    candidate=organization.union_id is not None
                    and status == OrganizationStatus.ACTIVE,
                )
            )
            if not grouped or grouped[-1] is not organization:
                writer.add(organization)
        # Joint unions (联合工会) for small neighbours of one street and owner, 3 to 8 each.
        for (owner_pk, street_name), members in joint_groups.items():
            start, number = 0, 1
            while start < len(members) - 1:
                group = members[start : start + rng.randint(3, 8)]
                ordinal = f"第{number}" if number > 1 else ""
                union = self._union(
                    f"{street_name}{ordinal}联合工会",
                    owner_pk,
                    sum(m.employee_count for m in group),
                    oldest,
                    joint=True,
                )
                for member in group:
                    member.union_id = union.pk
                start, number = start + len(group), number + 1
        by_pk = {o.pk: o for o in self.orgs}
        for organization in grouped:
            by_pk[organization.pk].union_id = organization.union_id
            by_pk[organization.pk].candidate = False  # too small for an instructor of its own
            writer.add(organization)
        writer.flush(Union)
        writer.flush(Organization)

    def _union(self, name, federation_id, workers, oldest, *, joint=False) -> Union:
        rng = self.rng
        union = Union(
            name=name,
            name_initials=pinyin_initials(name),
            federation_id=federation_id,
            is_joint=joint,
            founded_on=oldest + timedelta(days=rng.randint(0, 22 * 365)),
            chair_name=self.people.any(),
            member_count=max(1, round(workers * rng.uniform(0.75, 0.98))),
            created_at=self.writer.now,
            updated_at=self.writer.now,
        )
        self.writer.add(union)
        self.union_names[union.pk] = name
        return union

    # --- instructors ------------------------------------------------------------------------

    def _username(self, name: str) -> str:
        base = "".join(lazy_pinyin(name))
        username, number = base, 1
        while username in self.usernames:
            number += 1
            username = f"{base}{number}"
        self.usernames.add(username)
        return username

    def _create_instructors(self) -> None:
        """Instructors spread over the federations in proportion to the units they can be sent
        to (the province and the cities keep a share of their own)."""
        rng, writer = self.rng, self.writer
        candidates_of: dict[int, int] = defaultdict(int)
        for org in self.orgs:
            if org.candidate:
                candidates_of[org.federation_id] += 1
        federations = [f for f in self.federations.values() if candidates_of[f.pk]]
        # An instructor holds up to three units a term: no federation gets more instructors
        # than a third of its units.
        weights = [candidates_of[f.pk] for f in federations]
        counts: dict[int, int] = defaultdict(int)
        for _ in range(self.tier.instructors):
            for _attempt in range(20):
                federation = rng.choices(federations, weights=weights)[0]
                if counts[federation.pk] < max(1, candidates_of[federation.pk] // 3):
                    break
            counts[federation.pk] += 1
        self.instructors: list[Instructor] = []
        self.joined: dict[int, int] = {}
        years = list(JOINED)
        for federation in federations:
            for _ in range(counts[federation.pk]):
                name = self.people.unique()
                joined = rng.choices(years, weights=list(JOINED.values()))[0]
                retired = joined <= 2024 and rng.random() < RETIRED_SHARE
                status = InstructorStatus.INACTIVE if retired else InstructorStatus.ACTIVE
                user = writer.add(
                    User(
                        username=self._username(name),
                        full_name=name,
                        password=self.password_hash,
                        is_active=not retired,
                        date_joined=self.writer.now,
                    )
                )
                writer.add(RoleGrant(user_id=user.pk, role=Role.INSTRUCTOR))
                phone = rng.choice(data.MOBILE_PREFIXES) + "".join(rng.choices("0123456789", k=8))
                instructor = writer.add(
                    Instructor(
                        user_id=user.pk,
                        name=name,
                        name_initials=pinyin_initials(name),
                        federation_id=federation.pk,
                        department=rng.choice(data.DEPARTMENTS),
                        title=rng.choices(data.TITLES, weights=[5, 5, 4, 3, 2, 1])[0],
                        phone=normalize_work_phone(phone),
                        status=status,
                        created_at=self.writer.now,
                        updated_at=self.writer.now,
                    )
                )
                instructor.user = user
                self.instructors.append(instructor)
                self.joined[instructor.pk] = joined
        writer.flush()

    # --- terms and assignments --------------------------------------------------------------

    def _plan_assignments(self) -> None:
        rng, writer = self.rng, self.writer
        by_federation: dict[int, list[_Org]] = defaultdict(list)
        for org in self.orgs:
            if org.candidate:
                by_federation[org.federation_id].append(org)
        parent_of = {f.pk: f.parent_id for f in self.federations.values()}
        children: dict[int, list[int]] = defaultdict(list)
        for pk, parent in parent_of.items():
            if parent:
                children[parent].append(pk)

        def subtree(pk: int) -> list[int]:
            out = [pk]
            for child in children[pk]:
                out += subtree(child)
            return out

        # An instructor's units: its own federation's first, then the rest of its subtree.
        self.pools = {
            pk: (by_federation[pk], [o for c in subtree(pk)[1:] for o in by_federation[c]])
            for pk in parent_of
        }
        self.org_by_pk = {o.pk: o for o in self.orgs}
        self.assignments: list[Assignment] = []
        self.assignment_orgs: dict[int, list[_Org]] = {}
        self.holder: dict[tuple[int, int], int] = {}  # (org pk, term year) -> instructor pk
        previous: dict[int, _Org] = {}
        instructor_federations = sorted({i.federation_id for i in self.instructors})
        stamp = self.writer.now
        for spec in TERMS:
            dated = schedule.shift_batch(spec, self.years_moved)
            ends_on = dated.ends_on or one_year_after(dated.starts_on)
            taken: set[int] = set()
            batches = {}
            for federation_pk in instructor_federations:
                batches[federation_pk] = writer.add(
                    Batch(
                        federation_id=federation_pk,
                        name=dated.name,
                        year=dated.year,
                        starts_on=dated.starts_on,
                        ends_on=ends_on,
                        created_at=stamp,
                        updated_at=stamp,
                    )
                )
            serving = [
                i
                for i in self.instructors
                if self.joined[i.pk] <= spec.year
                and (i.status == InstructorStatus.ACTIVE or spec.year <= 2024)
            ]
            rng.shuffle(serving)
            for instructor in serving:
                own, below = self.pools[instructor.federation_id]
                first = previous.get(instructor.pk)
                if first is None or first.pk in taken or rng.random() >= 0.6:
                    first = _pick(rng, own, below, taken)
                if first is None:
                    continue  # nothing free in its subtree this term
                taken.add(first.pk)
                chosen = [first]
                extra = rng.choices([0, 1, 2], weights=[5, 3, 2])[0]
                for _ in range(extra):
                    more = _pick(rng, own, below, taken)
                    if more is None:
                        break
                    taken.add(more.pk)
                    chosen.append(more)
                previous[instructor.pk] = first
                assignment = writer.add(
                    Assignment(
                        batch_id=batches[instructor.federation_id].pk,
                        instructor_id=instructor.pk,
                        starts_on=dated.starts_on,
                        ends_on=ends_on,
                        min_days_per_week=1,
                        status=_status_for(dated.starts_on, ends_on, self.today),
                        created_at=stamp,
                        updated_at=stamp,
                    )
                )
                assignment.instructor = instructor
                for org in chosen:
                    writer.add(
                        AssignmentOrganization(assignment_id=assignment.pk, organization_id=org.pk)
                    )
                    self.holder[(org.pk, dated.year)] = instructor.pk
                self.assignments.append(assignment)
                self.assignment_orgs[assignment.pk] = chosen

    def _create_officers(self) -> None:
        """An officer account for every union that had an instructor (it confirms the days)."""
        unions = sorted(
            {o.union_id for orgs in self.assignment_orgs.values() for o in orgs if o.union_id}
        )
        self.officers: dict[int | None, User] = {}
        for number, union_id in enumerate(unions, start=1):
            user = self.writer.add(
                User(
                    username=f"officer{number:05d}",
                    # The account stands for the union's chair (某某有限公司工会主席).
                    full_name=f"{self.union_names[union_id]}主席"[:50],
                    password=self.password_hash,
                    date_joined=self.writer.now,
                )
            )
            self.writer.add(RoleGrant(user_id=user.pk, role=Role.UNION_OFFICER, union_id=union_id))
            self.officers[union_id] = user

    # --- history ---------------------------------------------------------------------------

    def _write_history(self) -> dict[str, int]:
        rng, writer = self.rng, self.writer
        history = BulkFieldwork(
            rng=rng,
            today=self.today,
            password_hash=self.password_hash,
            history_start=self.history_start,
        )
        history.writer = writer
        counts: defaultdict[str, int] = defaultdict(int)
        for assignment in self.assignments:
            first, last = history._window(assignment)
            if first > last:
                continue
            leave_weeks = self._leave(assignment, history)
            user = assignment.instructor.user
            logins: set[date] = set()
            visits: dict[int, list[date]] = defaultdict(list)
            for org in self.assignment_orgs[assignment.pk]:
                officer = self.officers.get(org.union_id)
                # _days as in the city demo; its _day is BulkFieldwork's and gives plain rows.
                days = history._days(
                    assignment, org, officer, leave_weeks, leave_this_week_open=False
                )
                for day in days:
                    writer.add_row(OnSiteDay, day)
                    if day["on_date"] not in logins:
                        logins.add(day["on_date"])
                        self._login(user, day["checked_in_at"], mobile=True)
                    if officer is not None and day["confirmed_by_id"] and rng.random() < 0.5:
                        self._login(officer, day["confirmed_at"], mobile=False)
                    if day["status"] != OnSiteDayStatus.DISPUTED:
                        visits[org.pk].append(day["on_date"])
                counts["on-site days"] += len(days)
                counts["work records"] += history.write_records(days, org)
            counts["findings"] += self._findings(assignment, history, visits, first, last)
            counts["practical matters"] += self._matters(assignment, history)
        writer.flush()
        return dict(counts)

    def _login(self, user: User, at: datetime, *, mobile: bool) -> None:
        rng = self.rng
        at = at - timedelta(minutes=rng.randint(1, 20))
        ip = f"{rng.choice(IP_PREFIXES)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        agent = MOBILE_AGENT if mobile else DESK_AGENT
        if rng.random() < 0.02:  # a mistyped password first
            self.writer.add_row(
                AccessEvent,
                {
                    "kind": AccessEventKind.LOGIN_FAILED,
                    "username": user.username,
                    "ip_address": ip,
                    "user_agent": agent,
                    "created_at": at - timedelta(seconds=40),
                },
            )
        self.writer.add_row(
            AccessEvent,
            {
                "kind": AccessEventKind.LOGIN,
                "user_id": user.pk,
                "username": user.username,
                "ip_address": ip,
                "user_agent": agent,
                "created_at": at,
            },
        )

    def _leave(self, assignment: Assignment, history: FieldworkHistory) -> set[date]:
        rng = self.rng
        if rng.random() > 0.3:
            return set()
        start = assignment.starts_on + timedelta(weeks=rng.randint(4, 30))
        monday = start - timedelta(days=start.weekday())
        if (
            monday + timedelta(days=6) >= history.this_monday
            or monday > assignment.effective_end
            or monday < self.history_start
        ):
            return set()
        decided = _aware(monday - timedelta(days=3), 10, 0)
        self.writer.add(
            LeaveRequest(
                instructor_id=assignment.instructor_id,
                kind=rng.choice([LeaveKind.LEAVE, LeaveKind.OFFICIAL_TRAVEL]),
                starts_on=monday,
                ends_on=monday + timedelta(days=4),
                reason=rng.choice(["参加省总工会培训班", "年休假", "赴外地学习考察"]),
                status=LeaveStatus.APPROVED,
                decided_at=decided,
                created_at=decided - timedelta(days=2),
                updated_at=decided,
            )
        )
        return {monday}

    def _findings(self, assignment, history, visits, first, last) -> int:
        rng, writer = self.rng, self.writer
        finished = assignment.status == AssignmentStatus.COMPLETED
        if finished:
            last = max(first, last - timedelta(days=_DAYS_TO_CLOSE))
        author = assignment.instructor.user
        written = 0
        for org in self.assignment_orgs[assignment.pk]:
            categories = rng.sample(list(FINDING_TEXTS), rng.randint(1, 3))
            dates = [d for d in visits.get(org.pk, []) if first <= d <= last]
            found_dates = sorted(rng.sample(dates, min(len(categories), len(dates))))
            for category, found_on in zip(categories, found_dates, strict=False):
                description, recommendation = FINDING_TEXTS[category]
                steps = history._rectification(
                    found_on, author, self.officers.get(org.union_id), finished=finished
                )
                state = _state_after(steps)
                created = _aware(found_on, 15, 0)
                finding = writer.add(
                    Finding(
                        assignment_id=assignment.pk,
                        organization_id=org.pk,
                        union_id=org.union_id,
                        category=category,
                        description=description,
                        recommendation=recommendation,
                        found_on=found_on,
                        due_on=found_on + timedelta(weeks=rng.choice([4, 8, 12])),
                        created_by_id=author.pk,
                        created_at=created,
                        updated_at=state.get("closed_at") or state.get("answered_at") or created,
                        **state,
                    )
                )
                previous = ""
                for status, actor, comment, on in steps:
                    writer.add(
                        FindingTransition(
                            finding_id=finding.pk,
                            from_status=previous,
                            to_status=status,
                            actor_id=actor.pk,
                            comment=comment,
                            at=_aware(on, 15, 0),
                        )
                    )
                    previous = status
                written += 1
        return written

    def _matters(self, assignment, history) -> int:
        rng = self.rng
        written = 0
        for org in self.assignment_orgs[assignment.pk]:
            for title, category, beneficiary in rng.sample(SYNTHETIC_MATTERS, rng.randint(0, 2)):
                count = org.employee_count if beneficiary == "workers" else 1
                done = assignment.status == AssignmentStatus.COMPLETED or rng.random() < 0.5
                matter = history._matter(
                    assignment,
                    Organization(pk=org.pk),
                    title,
                    beneficiary,
                    category,
                    rng.randint(max(1, count // 4), max(1, count)),
                    rng.choice(["工会经费", "企业出资", "上级工会补助"]),
                    done=done,
                )
                matter.created_at = _aware(matter.started_on, 16, 0)
                matter.updated_at = _aware(matter.completed_on or matter.started_on, 16, 0)
                self.writer.add(matter)
                written += 1
        return written

    # --- appeals -----------------------------------------------------------------------------

    def _write_appeals(self) -> int:
        rng, writer = self.rng, self.writer
        calendar = WorkingCalendar(self.history_start, self.today + timedelta(days=60))
        workdays = calendar.working_days(self.history_start, self.today + timedelta(days=60))
        sla = (
            settings.APPEALS_ACCEPT_WORKING_DAYS,
            settings.APPEALS_FIRST_ANSWER_WORKING_DAYS,
            settings.APPEALS_RESOLVE_WORKING_DAYS,
        )

        def due(received: date, n: int) -> date:
            return workdays[bisect.bisect_right(workdays, received) + n - 1]

        # Posters hang where an instructor is now; most appeals come from units with one.
        active_orgs = sorted(
            {
                o.pk
                for a in self.assignments
                if a.status == AssignmentStatus.ACTIVE
                for o in self.assignment_orgs[a.pk]
            }
        )
        posters = {}
        for pk in active_orgs:
            posters[pk] = writer.add(
                PosterToken(
                    organization_id=pk,
                    token=new_poster_token(),
                    created_at=_aware(self.history_start, 9, 0),
                )
            )
        assisted = sorted({o.pk for orgs in self.assignment_orgs.values() for o in orgs})
        anywhere = [o.pk for o in self.orgs if o.candidate]
        instructors = {i.pk: i for i in self.instructors}
        codes: set[str] = set(Appeal.objects.values_list("code", flat=True))
        categories = list(TEXTS)
        span = (self.last_day - self.history_start).days
        old_states = [AppealState.CLOSED] * 6 + [AppealState.RESOLVED, AppealState.REJECTED]
        for index in range(self.tier.appeals):
            org_pk = rng.choice(assisted if rng.random() < 0.85 and assisted else anywhere)
            org = self.org_by_pk[org_pk]
            received_on = self.history_start + timedelta(days=rng.randint(0, span))
            received = _aware(received_on, rng.randint(8, 21), rng.randint(0, 59))
            age = (self.today - received_on).days
            state = rng.choice(old_states) if age > 30 else rng.choice(list(HOURS_TO_REACH))
            while (
                state in EARLIER
                and received + timedelta(hours=HOURS_TO_REACH[state]) >= self.today_starts
            ):
                state = EARLIER[state]
            auto_closed = state == AppealState.RESOLVED and age > 30
            if auto_closed:
                state = AppealState.CLOSED
            term_year = schedule.current_term_start(received_on).year
            holder = instructors.get(self.holder.get((org_pk, term_year), 0))
            category = categories[index % len(categories)]
            anonymous = rng.random() < 0.6
            code = ""
            while not code or code in codes:
                code = format_ticket_code("".join(rng.choices(TICKET_ALPHABET, k=TICKET_LENGTH)))
            codes.add(code)
            appeal = Appeal(
                code=code,
                organization_id=org_pk,
                federation_id=org.federation_id,
                poster_id=posters[org_pk].pk if org_pk in posters else None,
                channel=AppealChannel.QR if org_pk in posters else rng.choice(list(AppealChannel)),
                category=category,
                description=TEXTS[category],
                anonymous=anonymous,
                submitter_name="" if anonymous else self.people.any()[:1] + "师傅",
                submitter_phone="" if anonymous else f"139{rng.randint(10000000, 99999999)}",
                consent_at=None if anonymous else received,
                state=state,
                accept_due=due(received_on, sla[0]),
                first_answer_due=due(received_on, sla[1]),
                resolve_due=due(received_on, sla[2]),
                created_at=received,
            )
            # The writer copies the row when it is added: the timeline sets the handling's
            # columns (accepted, resolved, closed, satisfaction) first, on the row's own id.
            appeal.pk = writer.next_id(Appeal)
            self._appeal_timeline(appeal, received, state, holder, auto_closed)
            writer.add(appeal)
        writer.flush()
        return self.tier.appeals

    def _appeal_timeline(self, appeal, received, state, holder, auto_closed) -> None:
        rng, writer = self.rng, self.writer
        user = holder.user if holder else None
        steps = [(AppealEventKind.SUBMITTED, "", 0)]
        if state in (
            AppealState.ACCEPTED,
            AppealState.IN_PROGRESS,
            AppealState.RESOLVED,
            AppealState.CLOSED,
        ):
            appeal.assigned_instructor_id = holder.pk if holder else None
            appeal.assigned_department = "" if holder else "权益保障部"
            appeal.accepted_at = received + timedelta(hours=5)
            steps.append((AppealEventKind.ACCEPTED, PUBLIC[AppealState.ACCEPTED], 5))
        if state in (AppealState.IN_PROGRESS, AppealState.RESOLVED, AppealState.CLOSED):
            appeal.first_answered_at = received + timedelta(days=1)
            steps.append((AppealEventKind.STARTED, PUBLIC[AppealState.IN_PROGRESS], 24))
        if state in (AppealState.RESOLVED, AppealState.CLOSED):
            appeal.resolved_at = received + timedelta(days=6)
            appeal.resolution = "经工会与企业沟通协商，企业已承诺整改，请留意后续落实情况。"
            steps.append((AppealEventKind.RESOLVED, PUBLIC[AppealState.RESOLVED], 144))
        if state == AppealState.CLOSED:
            if auto_closed:
                appeal.closed_at = received + timedelta(days=6 + settings.APPEALS_AUTO_CLOSE_DAYS)
                appeal.closed_automatically = True
                steps.append(
                    (AppealEventKind.CLOSED, "", 144 + 24 * settings.APPEALS_AUTO_CLOSE_DAYS)
                )
            else:
                appeal.closed_at = received + timedelta(days=7)
                appeal.satisfaction = rng.choice((3, 4, 5, 5))
                steps.append((AppealEventKind.RATED, PUBLIC[AppealState.CLOSED], 168))
        if state == AppealState.REJECTED:
            appeal.rejection_reason = "属于劳动行政执法事项。"
            appeal.referral = "当地劳动保障监察机构，电话12333。"
            steps.append((AppealEventKind.REJECTED, PUBLIC[AppealState.REJECTED], 6))
        last = received + timedelta(hours=steps[-1][2])
        appeal.updated_at = last
        for kind, text, hours in steps:
            actor = None if kind in (AppealEventKind.SUBMITTED, AppealEventKind.RATED) else user
            if kind == AppealEventKind.CLOSED:
                actor = None
            writer.add(
                AppealEvent(
                    appeal_id=appeal.pk,
                    kind=kind,
                    public_text=text,
                    actor_id=actor.pk if actor else None,
                    at=received + timedelta(hours=hours),
                )
            )
        if state == AppealState.IN_PROGRESS:
            writer.add(
                AppealMessage(
                    appeal_id=appeal.pk,
                    sender=MessageSender.STAFF,
                    author_id=user.pk if user else None,
                    text="已收到，正在与企业核实情况。",
                    at=received + timedelta(days=1),
                )
            )


TZ = ZoneInfo(settings.TIME_ZONE)


def _at(day: date, hour: int, minute: int) -> datetime:
    """fieldwork._aware without make_aware's cost (the zone has no DST to resolve)."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


class BulkFieldwork(FieldworkHistory):
    """The city demo's field work, as plain rows: the same draws and rules as
    FieldworkHistory._day and _records (which build model instances, ~25 µs each with their
    init signals: minutes for the province's two million rows)."""

    records_per_day = RECORDS_PER_DAY
    writer: BulkWriter

    # A plain row instead of the instance the city demo's _days collects: same use, cheaper.
    def _day(self, assignment, organization, officer, on_date: date) -> dict:  # type: ignore[override]
        rng = self.rng
        recent = (self.today - on_date).days < 10
        roll = rng.random()
        if roll < (0.5 if recent else 0.04):
            status = OnSiteDayStatus.UNCONFIRMED
        elif roll < 0.07:
            status = OnSiteDayStatus.DISPUTED
        else:
            status = OnSiteDayStatus.CONFIRMED
        checked_in = _at(on_date, rng.randint(8, 10), rng.randint(0, 59))
        day = {
            "id": self.writer.next_id(OnSiteDay),
            "client_uuid": uuid.UUID(int=rng.getrandbits(128), version=4),
            "assignment_id": assignment.pk,
            "organization_id": organization.pk,
            "instructor_id": assignment.instructor_id,
            "on_date": on_date,
            "checked_in_at": checked_in,
            "checked_out_at": checked_in + timedelta(hours=rng.randint(3, 7)),
            "summary": "到企业工会驻点，开展走访和工作指导。",
            "status": status,
            "confirmed_by_id": None,
            "created_at": checked_in,
            "updated_at": checked_in,
        }
        if organization.latitude is not None and rng.random() < 0.8:
            spread = 0.03 if rng.random() < 0.03 else 0.002
            latitude = Decimal(
                str(round(float(organization.latitude) + rng.uniform(-spread, spread), 6))
            )
            longitude = Decimal(
                str(round(float(organization.longitude) + rng.uniform(-spread, spread), 6))
            )
            distance = distance_m(
                latitude, longitude, organization.latitude, organization.longitude
            )
            day.update(
                latitude=latitude,
                longitude=longitude,
                accuracy_m=rng.choice([10, 20, 35, 65]),
                distance_m=distance,
                is_far=distance > settings.FIELDWORK_FAR_DISTANCE_M,
            )
        if status == OnSiteDayStatus.CONFIRMED:
            method = rng.choice(
                [ConfirmationMethod.OFFICER_ACCOUNT] * 3 + [ConfirmationMethod.FACE_TO_FACE_CODE]
            )
            confirmed_at = checked_in + timedelta(hours=rng.randint(1, 30))
            if confirmed_at < self.today_starts and officer is not None:
                day.update(
                    confirmation_method=method,
                    confirmed_by_id=officer.pk,
                    confirmed_at=confirmed_at,
                    updated_at=confirmed_at,
                )
            else:
                day["status"] = OnSiteDayStatus.UNCONFIRMED
        elif status == OnSiteDayStatus.DISPUTED:
            disputed_at = checked_in + timedelta(days=1)
            if disputed_at < self.today_starts and officer is not None:
                day.update(
                    dispute_reason=rng.choice(DISPUTE_REASONS),
                    disputed_by_id=officer.pk,
                    disputed_at=disputed_at,
                    updated_at=disputed_at,
                )
            else:
                day["status"] = OnSiteDayStatus.UNCONFIRMED
        return day

    def write_records(self, days: list[dict], organization) -> int:
        rng, writer = self.rng, self.writer
        duties = list(DUTY_WEIGHTS)
        weights = list(DUTY_WEIGHTS.values())
        deadline = settings.RECORD_PROMPT_DAYS
        written = 0
        for day in days:
            if day["status"] == OnSiteDayStatus.DISPUTED:
                continue
            on_date = day["on_date"]
            for duty in rng.choices(duties, weights, k=rng.choice(self.records_per_day)):
                delay = rng.choice([0, 0, 0, 1, 1, 2, 3, 5])
                recorded_on = min(on_date + timedelta(days=delay), self.last_day)
                recorded_at = _at(recorded_on, 18, 0)
                writer.add_row(
                    WorkRecord,
                    {
                        "client_uuid": uuid.UUID(int=rng.getrandbits(128), version=4),
                        "assignment_id": day["assignment_id"],
                        "organization_id": day["organization_id"],
                        "instructor_id": day["instructor_id"],
                        "on_site_day_id": day["id"],
                        "duty": duty,
                        "worked_on": on_date,
                        "participants": rng.choice(PARTICIPANTS),
                        "content": rng.choice(RECORD_TEXTS[duty]).format(
                            org=organization.name, n=rng.randint(3, 40)
                        ),
                        "recorded_on": recorded_on,
                        "is_late": (recorded_on - on_date).days > deadline,
                        "created_at": recorded_at,
                        "updated_at": recorded_at,
                    },
                )
                written += 1
        return written


def _pick(rng: random.Random, own: list[_Org], below: list[_Org], taken: set[int]) -> _Org | None:
    """A unit nobody holds this term: of the instructor's own federation, else of its subtree."""
    for pool in (own, below):
        for _attempt in range(30):
            if not pool:
                break
            choice = rng.choice(pool)
            if choice.pk not in taken:
                return choice
        free = [o for o in pool if o.pk not in taken]
        if free:
            return rng.choice(free)
    return None


def _status_for(starts_on: date, ends_on: date, today: date) -> str:
    if today < starts_on:
        return AssignmentStatus.PLANNED
    if today > ends_on:
        return AssignmentStatus.COMPLETED
    return AssignmentStatus.ACTIVE


def _employee_count(rng: random.Random, sub_kind: str) -> int:
    ranges = {
        "individual_business": (2, 15),
        "foundation": (3, 20),
        "social_group": (3, 30),
        "law_firm": (8, 60),
        "accounting_firm": (10, 80),
        "other_intermediary": (8, 60),
        "private_non_enterprise": (10, 300),
    }
    if sub_kind in ranges:
        return rng.randint(*ranges[sub_kind])
    return min(6000, max(5, round(math.exp(rng.gauss(4.0, 1.1)))))


def _coordinate(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")
