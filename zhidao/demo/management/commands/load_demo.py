"""Load the Xiangtan demo: the seed report's people and organizations plus a synthetic city.

Named entities go through the services (so their rules hold); the thousands of synthetic
organizations and unions are written with bulk_create, as PERFORMANCE.md asks of generators.
The whole load is one transaction: it is there completely or not at all.
"""

import dataclasses
import itertools
import math
import random
import time
import unicodedata
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from pypinyin import lazy_pinyin

from zhidao.accounts.models import Role, RoleGrant, User
from zhidao.appeals import stats as appeal_stats
from zhidao.appeals.demo import load_demo_appeals
from zhidao.core import partitions
from zhidao.core.services import validate_and_save
from zhidao.core.text import pinyin_full, pinyin_initials
from zhidao.demo import data, schedule
from zhidao.demo.fieldwork import FieldworkHistory
from zhidao.demo.notifications import load_demo_notifications
from zhidao.demo.province import (
    PROVINCE_LOGINS,
    PROVINCE_TIER,
    ProvinceLoader,
    province_is_loaded,
)
from zhidao.dispatch import services as dispatch_services
from zhidao.dispatch.models import (
    Assignment,
    AssignmentStatus,
    Batch,
    Instructor,
    InstructorStatus,
)
from zhidao.evaluation.demo import load_demo_evaluations
from zhidao.exchange.demo import load_demo_exchange
from zhidao.figures.refresh import rebuild as rebuild_figures
from zhidao.figures.signals import refresh_paused
from zhidao.holidays.models import CalendarDay, CalendarYear
from zhidao.holidays.seeding import seed_from_package
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
from zhidao.orgs.validators import make_credit_code
from zhidao.reports.demo import load_demo_reports
from zhidao.standards.demo import load_demo_standards

# Both tiers date their history up to 3 years back (PERFORMANCE.md); older rows, if any, reach
# their own partitions through the sweep after the load.
DEMO_HISTORY_YEARS = 4

_ECONOMIC_SUB_KINDS = {
    str(sub_kind) for sub_kind in SUB_KINDS_BY_KIND[OrganizationKind.NEW_ECONOMIC]
}
_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# A grassroots union committee needs 25 members (工会法 art. 10); smaller units join a joint union.
_UNION_COMMITTEE_MINIMUM = 25
_CHINESE_NUMERALS = dict(enumerate("一二三四五六七八九十", start=1))


def demo_is_loaded() -> bool:
    return Federation.objects.filter(
        name=data.CITY["name"], parent__name=data.PROVINCE["name"]
    ).exists()


class Command(BaseCommand):
    help = (
        "Load the Xiangtan demo (湘潭市总工会, its district federations, instructors, "
        "organizations, unions, batches and assignments) and print the demo logins. "
        "Does nothing if the demo is already loaded, unless --reset is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--size",
            choices=sorted(data.SIZES),
            default="city",
            help="city: ~2,000 organizations and 50 instructors (default); small: 200 and 15.",
        )
        parser.add_argument(
            "--organizations",
            type=int,
            help="Number of organizations, overriding the size or the tier (at least 20).",
        )
        parser.add_argument(
            "--tier",
            choices=["city", "province"],
            default="city",
            help="city: the Xiangtan demo (default, see --size); province: 湖南省总工会 with its "
            "14 cities and 122 counties, 100,000 organizations, 3,000 instructors and three "
            "years of history, written in bulk (PERFORMANCE.md's province tier).",
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="With --tier province: build a proportional province (0.01: 1,000 "
            "organizations, 30 instructors); the federation tree stays whole.",
        )
        parser.add_argument(
            "--seed", type=int, default=2021, help="Random seed (same seed, same data)."
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Wipe the WHOLE database (manage.py flush), then load the demo again.",
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask before --reset wipes the database.",
        )

    def handle(self, *args, **options):
        if options["tier"] == "province":
            return self._load_province(options)
        size = data.SIZES[options["size"]]
        organization_count = options["organizations"] or size.organizations
        if organization_count < 20:
            raise CommandError("--organizations must be at least 20.")
        if options["reset"]:
            self._wipe(interactive=options["interactive"], verbosity=options["verbosity"])
        elif demo_is_loaded():
            self.stdout.write(
                "The demo is already loaded; nothing changed (use --reset to load it again)."
            )
            self._print_logins()
            return

        started = time.monotonic()
        today = timezone.localdate()
        loader = DemoLoader(
            organization_count=organization_count,
            instructor_count=size.instructors,
            seed=options["seed"],
            today=today,
            history_start=schedule.shift(size.history_start, schedule.years_after_reference(today)),
        )
        counts = self._run_loader(loader, "The demo")
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{count} {label}" for label, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo loaded in {elapsed:.1f} s: {summary}."))
        self._print_logins()

    def _load_province(self, options) -> None:
        if not 0 < options["scale"] <= 1:
            raise CommandError("--scale must be greater than 0 and at most 1.")
        tier = PROVINCE_TIER.scaled(options["scale"])
        if options["organizations"] is not None:
            if options["organizations"] < 20:
                raise CommandError("--organizations must be at least 20.")
            tier = dataclasses.replace(tier, organizations=options["organizations"])
        if options["reset"]:
            self._wipe(interactive=options["interactive"], verbosity=options["verbosity"])
        elif province_is_loaded():
            self.stdout.write(
                "The province tier is already loaded; nothing changed (use --reset to load it "
                "again)."
            )
            return
        started = time.monotonic()
        loader = ProvinceLoader(
            tier=tier,
            seed=options["seed"],
            today=timezone.localdate(),
            stdout=self.stdout if options["verbosity"] > 1 else None,
        )
        counts = self._run_loader(loader, "The province tier")
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{count} {label}" for label, count in counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"Province tier loaded in {elapsed:.1f} s: {summary}.")
        )
        self.stdout.write(
            f"Logins (password {data.DEMO_PASSWORD}): root, "
            + ", ".join(username for username, _name, _role in PROVINCE_LOGINS)
            + f", instructors such as {loader.instructors[0].user.username}."
        )

    def _run_loader(self, loader, what: str) -> dict:
        """Both tiers' load: all or nothing, into the history years' partitions, then fresh
        planner statistics."""
        try:
            # The loader rebuilds the summary rows itself, once, at the end (bulk rows send no
            # signals).
            with refresh_paused(), appeal_stats.refresh_paused(), transaction.atomic():
                # The history's years get their partitions before their rows (PostgreSQL).
                partitions.create_partitions_ahead(
                    since=timezone.localdate().year - DEMO_HISTORY_YEARS
                )
                counts = loader.load()
        except ValidationError as error:
            raise CommandError(f"{what} could not be loaded, nothing was saved: {error}") from None
        # Rows of a year without its partition went to DEFAULT: each year gets its own.
        partitions.create_partitions_ahead()
        if connection.vendor == "postgresql":
            # Fresh statistics for the planner: straight after a bulk load it misjudges the scope
            # filters and sorts a whole table instead of walking the list-order indexes. VACUUM
            # too where it may run (not inside a caller's transaction): it sets the visibility
            # map that index-only scans need, which autovacuum would set only later.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        return counts

    def _wipe(self, *, interactive: bool, verbosity: int) -> None:
        if interactive:
            answer = input(
                "--reset deletes ALL data in the database, not only the demo. "
                "Type 'yes' to continue: "
            )
            if answer.strip() != "yes":
                raise CommandError("Reset cancelled.")
        call_command("flush", interactive=False, verbosity=max(verbosity - 1, 0))

    def _print_logins(self) -> None:
        rows = [("角色 role", "用户名 username", "密码 password", "可见范围 scope")]
        rows += [
            (login.role_label, login.username, data.DEMO_PASSWORD, login.scope)
            for login in data.LOGINS
        ]
        widths = [max(_display_width(row[column]) for row in rows) for column in range(4)]
        rule = "+" + "+".join("-" * (width + 2) for width in widths) + "+"
        self.stdout.write("\nDemo logins (演示账号):")
        self.stdout.write(rule)
        for index, row in enumerate(rows):
            cells = [_pad(text, width) for text, width in zip(row, widths, strict=True)]
            self.stdout.write("| " + " | ".join(cells) + " |")
            if index == 0:
                self.stdout.write(rule)
        self.stdout.write(rule)


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _display_width(text))


def _organization_code_check(body: str) -> str:
    """GB 11714 check character of the 8-character organization code inside the credit code."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(char, 36) * weight for char, weight in zip(body, weights, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


class DemoLoader:
    def __init__(
        self,
        *,
        organization_count: int,
        instructor_count: int,
        seed: int,
        today: date,
        history_start: date,
    ):
        self.history_start = history_start
        # data.py dates the terms as during the reference term; this load moves them by whole years.
        self.years_moved = schedule.years_after_reference(today)
        self.organization_count = organization_count
        self.instructor_count = instructor_count
        self.today = today
        self.rng = random.Random(seed)
        self.taken_codes = set(Organization.objects.values_list("credit_code", flat=True))
        self.taken_names: set[str] = set()
        self.password_hash = make_password(data.DEMO_PASSWORD)
        self.districts = {district.name: district for district in data.DISTRICTS}

    def load(self) -> dict[str, int]:
        # A flushed database (--reset, or a transactional test) lost what data migrations seeded.
        seed_from_package(CalendarYear, CalendarDay)
        self._create_federations()
        self._create_seed_organizations()
        organizations, unions = self._create_synthetic_organizations(
            self.organization_count - len(data.SEED_ORGANIZATIONS)
        )
        self._create_logins()
        instructors = self._create_instructors()
        assignments = self._create_batches_and_assignments(instructors, organizations)
        fieldwork_counts = FieldworkHistory(
            rng=self.rng,
            today=self.today,
            password_hash=self.password_hash,
            history_start=self.history_start,
        ).load(assignments)
        fieldwork_counts["appeals"] = len(load_demo_appeals(today=self.today, rng=self.rng))
        fieldwork_counts.update(load_demo_standards(today=self.today, rng=self.rng))
        fieldwork_counts.update(load_demo_exchange(today=self.today, rng=self.rng))
        fieldwork_counts.update(load_demo_reports(today=self.today, rng=self.rng))
        fieldwork_counts.update(load_demo_evaluations(today=self.today, rng=self.rng))
        # The dashboard reads summary rows: build them for the history just written.
        fieldwork_counts["figures rows"] = rebuild_figures(today=self.today)
        fieldwork_counts["appeal statistics rows"] = appeal_stats.rebuild()
        reminders = load_demo_notifications(today=self.today, rng=self.rng)
        fieldwork_counts["reminders sent"] = sum(reminders.values())
        return {
            "federations": 2 + len(self.district_federations),
            "organizations": len(organizations) + len(data.SEED_ORGANIZATIONS),
            "unions": len(unions) + len(data.SEED_ORGANIZATIONS),
            "joint unions": sum(union.is_joint for union in unions),
            "instructors": len(instructors),
            "batches": Batch.objects.filter(federation__path__startswith=self.city.path).count(),
            "assignments": len(assignments),
            "active assignments": sum(a.status == AssignmentStatus.ACTIVE for a in assignments),
            **fieldwork_counts,
        }

    # --- federations -----------------------------------------------------------------------

    def _create_federations(self) -> None:
        province = Federation.objects.filter(
            name=data.PROVINCE["name"], parent__isnull=True
        ).first() or org_services.create_federation(level=FederationLevel.PROVINCE, **data.PROVINCE)
        self.city = org_services.create_federation(
            level=FederationLevel.CITY, parent=province, **data.CITY
        )
        self.district_federations = {
            district.name: org_services.create_federation(
                name=district.federation,
                short_name=district.name,
                level=FederationLevel.DISTRICT,
                parent=self.city,
                region_code=district.region_code if district.region_code != "430300" else "",
            )
            for district in data.DISTRICTS
        }

    # --- organizations and unions -----------------------------------------------------------

    def _credit_code(self, prefix: str, region_code: str) -> str:
        while True:
            if self.rng.random() < 0.7:  # codes issued since 2015 start with MA
                body = "MA4" + "".join(self.rng.choice(_CODE_ALPHABET) for _ in range(5))
            else:
                body = "".join(self.rng.choice("0123456789") for _ in range(8))
            code = make_credit_code(prefix + region_code + body + _organization_code_check(body))
            if code not in self.taken_codes:
                self.taken_codes.add(code)
                return code

    def _create_seed_organizations(self) -> None:
        self.seed_organizations: dict[str, Organization] = {}
        self.seed_unions: dict[str, Union] = {}
        for seed in data.SEED_ORGANIZATIONS:
            organization = org_services.create_organization(
                name=seed.name,
                credit_code=self._credit_code(seed.credit_prefix, data.CITY["region_code"]),
                kind=seed.kind,
                sub_kind=seed.sub_kind,
                industry=seed.industry,
                federation=self.city,
                district=seed.district,
                address=seed.address,
                latitude=_coordinate(seed.latitude),
                longitude=_coordinate(seed.longitude),
                employee_count=seed.employee_count,
            )
            self.seed_unions[seed.key] = org_services.create_union(
                name=seed.union_name,
                federation=self.city,
                chair_name=seed.union_chair,
                founded_on=seed.union_founded_on,
                member_count=seed.union_member_count,
                organizations=[organization],
            )
            self.seed_organizations[seed.key] = organization
            self.taken_names.add(seed.name)

    def _create_synthetic_organizations(self, count: int) -> tuple[list[Organization], list[Union]]:
        district_weights = [district.share for district in data.DISTRICTS]
        sub_kinds = [(sub_kind, prefix) for sub_kind, _share, prefix in data.SUB_KIND_MIX]
        sub_kind_weights = [share for _sub_kind, share, _prefix in data.SUB_KIND_MIX]
        placed: list[tuple[Organization, str]] = []
        for _ in range(count):
            district = self.rng.choices(data.DISTRICTS, weights=district_weights)[0]
            sub_kind, prefix = self.rng.choices(sub_kinds, weights=sub_kind_weights)[0]
            name, industry = self._organization_name(sub_kind, district)
            employee_count = self._employee_count(sub_kind)
            street = self.rng.choice(district.streets)
            road = self.rng.choice(district.roads)
            # Larger firms are often directly affiliated (直属) with the city federation.
            city_owned = self.rng.random() < (0.35 if employee_count >= 300 else 0.04)
            place = street if street.endswith(("镇", "乡")) else ""
            organization = Organization(
                name=name,
                name_initials=pinyin_initials(name),
                name_pinyin=pinyin_full(name),
                credit_code=self._credit_code(prefix, district.region_code),
                kind=(
                    OrganizationKind.NEW_ECONOMIC
                    if sub_kind in _ECONOMIC_SUB_KINDS
                    else OrganizationKind.NEW_SOCIAL
                ),
                sub_kind=sub_kind,
                industry=industry,
                federation=self.city if city_owned else self.district_federations[district.name],
                district=district.name,
                address=f"{district.address_prefix}{place}{road}{self.rng.randint(1, 399)}号",
                latitude=_coordinate(district.latitude + self.rng.gauss(0, 0.012)),
                longitude=_coordinate(district.longitude + self.rng.gauss(0, 0.012)),
                employee_count=employee_count,
                status=self.rng.choices(
                    [
                        OrganizationStatus.ACTIVE,
                        OrganizationStatus.SUSPENDED,
                        OrganizationStatus.DEREGISTERED,
                    ],
                    weights=[96, 3, 1],
                )[0],
            )
            placed.append((organization, street))
        unions = self._plan_unions(placed)
        Union.objects.bulk_create(unions, batch_size=500)
        organizations = [organization for organization, _street in placed]
        Organization.objects.bulk_create(organizations, batch_size=500)
        return organizations, unions

    def _plan_unions(self, placed: list[tuple[Organization, str]]) -> list[Union]:
        """Own unions for units big enough, joint unions (联合工会) for some small neighbours."""
        unions: list[Union] = []
        small_neighbours: dict[tuple, list[Organization]] = defaultdict(list)
        for organization, street in placed:
            if organization.status == OrganizationStatus.DEREGISTERED:
                continue
            if organization.employee_count >= _UNION_COMMITTEE_MINIMUM:
                if self.rng.random() < 0.9:
                    organization.union = self._union(
                        f"{organization.name}工会",
                        organization.federation,
                        organization.employee_count,
                    )
                    unions.append(organization.union)
            elif self.rng.random() < 0.45:
                key = (organization.federation.pk, organization.district, street)
                small_neighbours[key].append(organization)
        for (_federation, district_name, street), members in small_neighbours.items():
            prefix = self.districts[district_name].address_prefix + street
            start, number = 0, 1
            while start < len(members) - 1:  # a joint union covers two units at least
                group = members[start : start + self.rng.randint(3, 8)]
                ordinal = f"第{_CHINESE_NUMERALS.get(number, number)}" if number > 1 else ""
                union = self._union(
                    f"{prefix}{ordinal}联合工会",
                    group[0].federation,
                    sum(member.employee_count for member in group),
                    joint=True,
                )
                start, number = start + len(group), number + 1
                unions.append(union)
                for organization in group:
                    organization.union = union
        return unions

    def _union(self, name: str, federation: Federation, workers: int, *, joint=False) -> Union:
        # 2003 to the end of 2024 in the reference calendar: all before the current term.
        oldest = schedule.shift(date(2003, 1, 1), self.years_moved)
        founded_on = oldest + timedelta(days=self.rng.randint(0, 22 * 365))
        return Union(
            name=name,
            name_initials=pinyin_initials(name),
            name_pinyin=pinyin_full(name),
            federation=federation,
            is_joint=joint,
            founded_on=founded_on,
            chair_name=self._person_name(),
            member_count=max(1, round(workers * self.rng.uniform(0.75, 0.98))),
        )

    def _organization_name(self, sub_kind: str, district: data.District) -> tuple[str, str]:
        # Two-character trade names first (what most firms have); once those of a district and
        # form run short (from a few thousand organizations on), three-character ones, of which
        # there are about 490,000 per form and place: the draw never runs out.
        for attempt in itertools.count():
            name, industry = self._draw_name(sub_kind, district, wide=attempt >= 50)
            if name not in self.taken_names:
                self.taken_names.add(name)
                return name, industry
        raise AssertionError("unreachable")

    def _draw_name(
        self, sub_kind: str, district: data.District, *, wide: bool = False
    ) -> tuple[str, str]:
        rng = self.rng
        trade = "".join(rng.sample(data.TRADE_NAME_CHARACTERS, 3 if wide else 2))
        city = data.CITY_PREFIX
        if sub_kind == "social_group" and wide:
            # 湘潭市宏达兴物流协会: a group named after its founders' trade name, as chambers are.
            topic = rng.choice(data.SOCIAL_GROUP_TOPICS)
            return f"{city}市{trade}{topic}{rng.choice(['协会', '促进会', '联谊会'])}", "S"
        if sub_kind == "individual_business" and wide:
            form, industry = rng.choice(data.INDIVIDUAL_BUSINESS_FORMS)
            return f"{district.address_prefix}{trade}{form}", industry
        if sub_kind == "social_group":
            if rng.random() < 0.2:
                return f"{city}市{rng.choice(data.CHAMBER_PROVINCES)}商会", "S"
            area = district.name if len(district.name) == 3 and rng.random() < 0.5 else "湘潭市"
            topic = rng.choice(data.SOCIAL_GROUP_TOPICS)
            return f"{area}{topic}{rng.choice(['协会', '行业协会', '学会'])}", "S"
        if sub_kind == "private_non_enterprise":
            form, industry = rng.choice(data.PRIVATE_NON_ENTERPRISE_FORMS)
            return f"{district.name_prefix}{trade}{form}", industry
        if sub_kind == "foundation":
            return f"{city}市{trade}慈善基金会", "S"
        if sub_kind == "law_firm":
            return f"湖南{trade}律师事务所", "L"
        if sub_kind == "accounting_firm":
            return f"{city}{trade}会计师事务所有限公司", "L"
        if sub_kind == "other_intermediary":
            return f"{city}{trade}{rng.choice(data.INTERMEDIARY_FORMS)}", "L"
        if sub_kind == "individual_business":
            form, industry = rng.choice(data.INDIVIDUAL_BUSINESS_FORMS)
            return f"{district.address_prefix}{rng.choice(data.SURNAMES)}记{form}", industry
        industries = list(data.INDUSTRY_WEIGHTS)
        industry = rng.choices(industries, weights=list(data.INDUSTRY_WEIGHTS.values()))[0]
        word = rng.choice(data.INDUSTRY_WORDS[industry])
        prefix = "湖南" if rng.random() < 0.12 else district.name_prefix
        suffix = rng.choices(["有限公司", "有限责任公司", "股份有限公司"], weights=[80, 12, 8])[0]
        return f"{prefix}{trade}{word}{suffix}", industry

    def _employee_count(self, sub_kind: str) -> int:
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
            return self.rng.randint(*ranges[sub_kind])
        return min(6000, max(5, round(math.exp(self.rng.gauss(4.0, 1.1)))))

    def _person_name(self) -> str:
        given = "".join(self.rng.sample(data.GIVEN_NAME_CHARACTERS, self.rng.choice([1, 2, 2])))
        return self.rng.choice(data.SURNAMES) + given

    # --- people ------------------------------------------------------------------------------

    def _user(self, username: str, full_name: str, **flags) -> User:
        user = User(username=username, full_name=full_name, password=self.password_hash, **flags)
        validate_password(data.DEMO_PASSWORD, user)
        validate_and_save(user)
        return user

    def _create_logins(self) -> None:
        federations = {self.city.name: self.city}
        if self.city.parent_id:
            federations[self.city.parent.name] = self.city.parent
        federations.update({f.name: f for f in self.district_federations.values()})
        unions = {union.name: union for union in self.seed_unions.values()}
        for login in data.LOGINS:
            if login.role == Role.INSTRUCTOR:
                continue  # created with their Instructor record
            if login.role == "superuser":
                self._user(login.username, login.full_name, is_staff=True, is_superuser=True)
                continue
            grant = RoleGrant(
                user=self._user(login.username, login.full_name),
                role=login.role,
                federation=federations.get(login.federation),
                union=unions.get(login.union),
            )
            validate_and_save(grant)

    def _create_instructors(self) -> list[Instructor]:
        instructors = []
        for seed in data.SEED_INSTRUCTORS:
            instructors.append(
                self._instructor(seed.name, seed.username, self.city, seed.department, seed.title)
            )
        names = {seed.name for seed in data.SEED_INSTRUCTORS}
        districts = list(self.district_federations.values())
        first_generated = len(data.SEED_INSTRUCTORS)
        retired = range(first_generated, first_generated + data.RETIRED_COUNT)
        for index in range(len(instructors), self.instructor_count):
            name = self._person_name()
            while name in names:
                name = self._person_name()
            names.add(name)
            # The first terms were staffed by the city federation; districts joined later.
            in_city = index < 9 or self.rng.random() < 0.5
            federation = self.city if in_city else districts[index % len(districts)]
            instructors.append(
                self._instructor(
                    name,
                    "".join(lazy_pinyin(name)),
                    federation,
                    self.rng.choice(data.DEPARTMENTS),
                    self.rng.choices(data.TITLES, weights=[5, 5, 4, 3, 2, 1])[0],
                    status=InstructorStatus.INACTIVE if index in retired else None,
                )
            )
        return instructors

    def _instructor(
        self,
        name: str,
        username: str,
        federation: Federation,
        department: str,
        title: str,
        status: str | None = None,
    ) -> Instructor:
        base, number = username, 1
        while User.objects.filter(username=username).exists():
            number += 1
            username = f"{base}{number}"
        extra = {"status": status} if status else {}
        return dispatch_services.create_instructor(
            user=self._user(username, name),
            name=name,
            federation=federation,
            department=department,
            title=title,
            phone=self.rng.choice(data.MOBILE_PREFIXES)
            + "".join(self.rng.choice("0123456789") for _ in range(8)),
            **extra,
        )

    # --- batches and assignments ------------------------------------------------------------

    def _create_batches_and_assignments(
        self, instructors: list[Instructor], organizations: list[Organization]
    ) -> list[Assignment]:
        self.candidates = [
            o
            for o in organizations
            if o.union_id
            and o.status == OrganizationStatus.ACTIVE
            and o.employee_count >= _UNION_COMMITTEE_MINIMUM
        ] or organizations
        self.rng.shuffle(self.candidates)
        self.pools: dict[int, list[Organization]] = defaultdict(list)
        for organization in self.candidates:
            self.pools[organization.federation_id].append(organization)
        self.previous: dict[int, Organization] = {}
        # Nobody else is sent to a unit that already has an instructor in the same term.
        seed_pks = {o.pk for o in self.seed_organizations.values()}
        self.taken_by_year: dict[int, set[int]] = defaultdict(lambda: set(seed_pks))

        city_instructors = [i for i in instructors if i.federation_id == self.city.pk]
        assignments = []
        for spec in data.BATCHES:
            eligible = [
                i
                for i in city_instructors
                if i.status == InstructorStatus.ACTIVE or spec.year <= data.RETIRED_AFTER_YEAR
            ]
            chosen = eligible[: spec.instructor_count] if spec.instructor_count else eligible
            assignments += self._dispatch(self.city, spec, chosen)
        # The district federations took the programme up later, each with its own terms.
        for district_name, federation in self.district_federations.items():
            local = [
                i
                for i in instructors
                if i.federation_id == federation.pk and i.status == InstructorStatus.ACTIVE
            ]
            for spec in data.DISTRICT_BATCHES if local else ():
                spec = dataclasses.replace(spec, name=district_name + spec.name)
                assignments += self._dispatch(federation, spec, local)
        return assignments

    def _dispatch(self, federation: Federation, spec: data.BatchSpec, chosen) -> list[Assignment]:
        """Dispatch `chosen` in the term `spec` describes; who goes where follows the reference
        year (spec.year), the dates are those of this load."""
        dated = schedule.shift_batch(spec, self.years_moved)
        batch = dispatch_services.create_batch(
            federation=federation,
            name=dated.name,
            year=dated.year,
            starts_on=dated.starts_on,
            ends_on=dated.ends_on,
            notes=dated.notes,
        )
        seed_organization_of = {
            seed.name: self.seed_organizations[seed.organization] for seed in data.SEED_INSTRUCTORS
        }
        taken = self.taken_by_year[spec.year]
        assignments = []
        for instructor in chosen:
            first = seed_organization_of.get(instructor.name)
            if first is None and instructor.pk in self.previous and self.rng.random() < 0.6:
                first = self.previous[instructor.pk]  # stays for another term
                first = None if first.pk in taken else first
            pool = self.pools[instructor.federation_id]
            first = first or self._pick(pool, taken)
            taken.add(first.pk)
            self.previous[instructor.pk] = first
            organizations = [first]
            organizations += [
                self._pick(pool, taken) for _ in range(self._extra_organizations(spec.year))
            ]
            assignments.append(
                dispatch_services.create_assignment(
                    batch=batch,
                    instructor=instructor,
                    organizations=organizations,
                    starts_on=dated.starts_on,
                    ends_on=dated.ends_on,
                    today=self.today,
                )
            )
        return assignments

    def _extra_organizations(self, year: int) -> int:
        if year <= 2022:
            return 0
        if year == 2023:
            return self.rng.choice([0, 1])
        return self.rng.choices([0, 1, 2], weights=[5, 3, 2])[0]

    def _pick(self, pool: list[Organization], taken: set[int]) -> Organization:
        """A unit nobody else holds this term: in the instructor's own federation (city
        instructors: the directly affiliated units, as in the pilot years), else anywhere."""
        for source in (pool, self.candidates):
            free = [o for o in source if o.pk not in taken]
            if free:
                choice = self.rng.choice(free)
                taken.add(choice.pk)
                return choice
        return self.rng.choice(self.candidates)  # a tiny demo: people share units


def _coordinate(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")
