import pytest
from django.core.cache import cache

from tests import factories


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Each test starts with empty rate-limit counters: in one process the tests share the
    cache, and SQLite hands a later test's user the same id."""
    cache.clear()


@pytest.fixture(autouse=True)
def _user_cache_only_where_marked(request, settings):
    """The per-user cache (zhidao/core/usercache.py) only in the tests marked "user_cache" and
    in the browser tests, which act as the roles do, through requests: elsewhere a test writes
    rows with factories, nobody's request, and compares two page loads (a query count, a
    figure), which the cache would answer from the first load."""
    marked = request.node.get_closest_marker("user_cache") or request.node.get_closest_marker(
        "browser"
    )
    if marked is None:
        settings.USER_CACHE = False


@pytest.fixture(autouse=True)
def _primary_reads_only(request, settings):
    """With DATABASE_REPLICA_URL set every read stays on the primary, but in the replica tests
    (marker "replica"): elsewhere a replica's lag would make a test flaky, and a test may not
    query a database it did not ask for."""
    if request.node.get_closest_marker("replica") is None:
        settings.REPLICA_READS = False


@pytest.fixture
def world(db):
    """Two separate city federations, each with a district, an organization, a union, an
    instructor on an active assignment and one user per role. Scope tests compare the two."""

    def build(prefix: str):
        city = factories.make_federation(name=f"{prefix}市总工会")
        district = factories.make_federation(
            name=f"{prefix}区总工会", level="district", parent=city
        )
        union = factories.UnionFactory(name=f"{prefix}测试工会", federation=district)
        organization = factories.OrganizationFactory(
            name=f"{prefix}测试有限公司", federation=district, union=union
        )
        instructor = factories.InstructorFactory(name=f"{prefix}指导员", federation=city)
        batch = factories.BatchFactory(federation=city, name=f"{prefix}第一期")
        assignment = factories.make_assignment(
            instructor=instructor, organizations=[organization], batch=batch
        )
        return {
            "city": city,
            "district": district,
            "union": union,
            "organization": organization,
            "instructor": instructor,
            "batch": batch,
            "assignment": assignment,
            "admin": factories.federation_admin(city),
            "leader": factories.federation_leader(city),
            "instructor_user": instructor.user,
            "officer": factories.union_officer(union),
        }

    return {"mine": build("湘潭"), "other": build("株洲")}
