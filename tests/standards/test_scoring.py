from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.standards.conftest import answers, assess
from zhidao.figures.statistics import improvement_by_batch
from zhidao.standards import selectors, services
from zhidao.standards.defaults import DEFAULT_SET_NAME
from zhidao.standards.models import Assessment, IndicatorSet
from zhidao.standards.views import radar_data

pytestmark = pytest.mark.django_db


def test_score_equals_hand_computed_value(world, fixture_set):
    # yes → 20; level 2 of 3 → 30 × 2/3 = 20; 85 % reaches the 80 % threshold → 35. 75 of 100.
    assessment = assess(world["mine"], fixture_set, yes=True, level=2, number=Decimal("85"))
    assert assessment.total_score == Decimal("75.00")
    assert [row["earned"] for row in assessment.category_scores] == ["40.00", "35.00"]
    assert [row["percent"] for row in assessment.category_scores] == ["80.00", "70.00"]


def test_a_no_and_a_low_rate_score_only_the_level(world, fixture_set):
    assessment = assess(world["mine"], fixture_set, yes=False, level=3, number=Decimal("59.9"))
    assert assessment.total_score == Decimal("30.00")


def test_every_indicator_must_be_answered(world, fixture_set):
    incomplete = answers(fixture_set)
    del incomplete[fixture_set["rules"].pk]
    with pytest.raises(ValidationError) as error:
        assess(world["mine"], fixture_set, answers=incomplete)
    assert f"indicator_{fixture_set['rules'].pk}" in error.value.message_dict


def test_new_version_leaves_old_assessments_unchanged(world, fixture_set):
    old = assess(world["mine"], fixture_set)
    structure = services.indicator_set_structure(fixture_set["set"])
    structure[0]["indicators"][0]["weight"] = Decimal(60)
    structure[0]["indicators"][0]["text"] = "工会主席到位"
    new_set = services.create_indicator_set_version(
        actor=world["mine"]["admin"].__class__.objects.create_superuser("root", password="x"),
        base=fixture_set["set"],
        name="测试指标",
        categories=structure,
    )
    fixture_set["set"].refresh_from_db()
    assert new_set.version == 2 and new_set.is_current
    assert fixture_set["set"].is_current is False
    stored = Assessment.objects.get(pk=old.pk)
    assert stored.indicator_set_id == fixture_set["set"].pk
    assert stored.total_score == Decimal("75.00")
    assert stored.answers.get(indicator=fixture_set["committee"]).points == Decimal("20.00")
    assert fixture_set["committee"].__class__.objects.get(pk=fixture_set["committee"].pk).text == (
        "工会委员会依法选举产生"
    )


def test_admin_edit_of_default_set_starts_its_federation_set(world):
    default = IndicatorSet.objects.get(name=DEFAULT_SET_NAME, is_current=True)
    admin = world["mine"]["admin"]
    new_set = services.create_indicator_set_version(
        actor=admin,
        base=default,
        name="湘潭市规范化建设指标",
        categories=services.indicator_set_structure(default),
    )
    default.refresh_from_db()
    assert new_set.federation == world["mine"]["city"]
    assert default.is_current
    assert selectors.current_indicator_set_for(world["mine"]["union"]) == new_set
    assert selectors.current_indicator_set_for(world["other"]["union"]) == default


def test_default_set_covers_the_issue_items_and_weighs_100(db):
    default = IndicatorSet.objects.get(name=DEFAULT_SET_NAME, is_current=True)
    codes = set(default.indicators.values_list("code", flat=True))
    assert {
        "committee",
        "women",
        "fund_audit",
        "rules",
        "fund_account",
        "dues",
        "congress",
        "contract",
        "membership_rate",
        "workers_home",
        "activities",
        "rights_channel",
        "affairs_public",
    } <= codes
    assert sum(default.indicators.values_list("weight", flat=True)) == 100


def test_radar_data_has_one_axis_per_category(world, fixture_set):
    baseline = assess(world["mine"], fixture_set, assessed_on=date(2026, 3, 10), yes=False)
    latest = assess(world["mine"], fixture_set, kind="term_end")
    data = radar_data([baseline, latest])
    assert [axis["name"] for axis in data["indicators"]] == ["组织建设", "阵地与活动"]
    assert data["series"][0]["value"] == [40.0, 70.0]
    assert data["series"][1]["value"] == [80.0, 70.0]
    assert data["history"]["scores"] == [55.0, 75.0]


def test_instructor_cannot_assess_a_union_outside_its_assignments(world, fixture_set):
    with pytest.raises(ValidationError):
        services.create_assessment(
            actor=world["mine"]["instructor_user"],
            union=world["other"]["union"],
            kind="baseline",
            assessed_on=date(2026, 11, 25),
            answers=answers(fixture_set),
            indicator_set=fixture_set["set"],
        )


def test_improvement_per_batch_is_term_end_minus_baseline(world, fixture_set):
    assess(world["mine"], fixture_set, assessed_on=date(2026, 3, 10), yes=False)
    assess(world["mine"], fixture_set, kind="term_end")
    (row,) = improvement_by_batch(selectors.assessments_visible_to(world["mine"]["admin"]))
    assert row["baseline_average"] == pytest.approx(55)
    assert row["improvement"] == pytest.approx(20)
    assert (
        improvement_by_batch(selectors.assessments_visible_to(world["other"]["admin"])).count() == 0
    )
