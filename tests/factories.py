"""factory-boy factories for the domain core. Writes go through the services where they
hold rules (federation paths, assignment overlap), so tests exercise the real code paths."""

import itertools
import random
from datetime import date

import factory
from factory.django import DjangoModelFactory

from zhidao.accounts.models import Role, RoleGrant, User
from zhidao.dispatch import services as dispatch_services
from zhidao.dispatch.models import Batch, Instructor
from zhidao.orgs import services as org_services
from zhidao.orgs.models import Federation, FederationLevel, Organization, Union
from zhidao.orgs.validators import make_credit_code

TEST_PASSWORD = "Zhidao#2026"
_serial = itertools.count(1)
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def credit_code() -> str:
    """A valid, unique 统一社会信用代码: 9 (工商) 1 (企业) 430300 (湘潭) + 9 characters + check."""
    number = next(_serial)
    rng = random.Random(number)
    body = "91430300" + "".join(rng.choice(_ALPHABET) for _ in range(5)) + f"{number % 10000:04d}"
    return make_credit_code(body)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


def make_federation(name="湘潭市总工会", level=FederationLevel.CITY, parent=None) -> Federation:
    return org_services.create_federation(name=name, level=level, parent=parent)


class FederationFactory(factory.Factory):
    class Meta:
        model = Federation

    name = factory.Sequence(lambda n: f"第{n}区总工会")
    level = FederationLevel.CITY
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return org_services.create_federation(**kwargs)


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"湘潭测试企业{n}有限公司")
    credit_code = factory.LazyFunction(credit_code)
    kind = "new_economic"
    sub_kind = "private_enterprise"
    industry = "C"
    federation = factory.SubFactory(FederationFactory)
    district = "雨湖区"
    employee_count = 120


class UnionFactory(DjangoModelFactory):
    class Meta:
        model = Union

    name = factory.Sequence(lambda n: f"测试企业{n}工会委员会")
    federation = factory.SubFactory(FederationFactory)
    chair_name = "张主席"
    member_count = 80


class InstructorFactory(factory.Factory):
    class Meta:
        model = Instructor

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"指导员{n}")
    federation = factory.SubFactory(FederationFactory)
    department = "基层工作部"
    phone = "13812341234"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return dispatch_services.create_instructor(**kwargs)


class BatchFactory(DjangoModelFactory):
    class Meta:
        model = Batch

    federation = factory.SubFactory(FederationFactory)
    name = factory.Sequence(lambda n: f"第{n}期")
    year = 2026
    starts_on = date(2026, 3, 1)
    ends_on = date(2027, 2, 28)


def make_assignment(*, instructor, organizations, batch=None, starts_on=date(2026, 3, 1), **kw):
    batch = batch or BatchFactory(federation=instructor.federation)
    return dispatch_services.create_assignment(
        batch=batch,
        instructor=instructor,
        organizations=list(organizations),
        starts_on=starts_on,
        today=kw.pop("today", date(2026, 6, 1)),
        **kw,
    )


def grant(user, role, *, federation=None, union=None) -> RoleGrant:
    return RoleGrant.objects.create(user=user, role=role, federation=federation, union=union)


def federation_admin(federation, **kw) -> User:
    user = UserFactory(**kw)
    grant(user, Role.FEDERATION_ADMIN, federation=federation)
    return user


def system_admin(federation, **kw) -> User:
    user = UserFactory(**kw)
    grant(user, Role.SYSTEM_ADMIN, federation=federation)
    return user


def security_admin(federation, **kw) -> User:
    user = UserFactory(**kw)
    grant(user, Role.SECURITY_ADMIN, federation=federation)
    return user


def audit_admin(federation, **kw) -> User:
    user = UserFactory(**kw)
    grant(user, Role.AUDIT_ADMIN, federation=federation)
    return user


def federation_leader(federation, **kw) -> User:
    user = UserFactory(**kw)
    grant(user, Role.FEDERATION_LEADER, federation=federation)
    return user


def union_officer(union, **kw) -> User:
    user = UserFactory(**kw)
    grant(user, Role.UNION_OFFICER, union=union)
    return user
