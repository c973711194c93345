import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from tests.standards.conftest import assess
from zhidao.standards import services
from zhidao.standards.models import AssessmentEvidence, HonourTitle

pytestmark = pytest.mark.django_db


def png_upload(name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def form_data(fixture_set, **extra):
    data = {
        "kind": "baseline",
        "assessed_on": "2026-11-25",
        f"indicator_{fixture_set['committee'].pk}": "no",
        f"indicator_{fixture_set['rules'].pk}": "2",
        f"indicator_{fixture_set['rate'].pk}": "85",
    }
    data.update(extra)
    return data


def _use_fixture_set(monkeypatch, fixture_set):
    monkeypatch.setattr(
        "zhidao.standards.selectors.current_indicator_set_for", lambda union: fixture_set["set"]
    )


def test_instructor_assesses_its_union_with_an_evidence_photo(
    client, world, fixture_set, monkeypatch
):
    _use_fixture_set(monkeypatch, fixture_set)
    mine = world["mine"]
    client.force_login(mine["instructor_user"])
    url = reverse("standards:assessment_create", args=[mine["union"].pk])
    response = client.post(
        url, form_data(fixture_set, **{f"evidence_{fixture_set['committee'].pk}": png_upload()})
    )
    assert response.status_code == 302
    evidence = AssessmentEvidence.objects.get()
    assert evidence.is_image and evidence.file.name.endswith(".jpg")
    detail = client.get(response["Location"])
    assert "55.00" in detail.content.decode()


def test_fake_evidence_photo_is_refused_at_its_field(client, world, fixture_set, monkeypatch):
    _use_fixture_set(monkeypatch, fixture_set)
    mine = world["mine"]
    client.force_login(mine["instructor_user"])
    fake = SimpleUploadedFile("photo.jpg", b"not really a picture", content_type="image/jpeg")
    field = f"evidence_{fixture_set['committee'].pk}"
    response = client.post(
        reverse("standards:assessment_create", args=[mine["union"].pk]),
        form_data(fixture_set, **{field: fake}),
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not AssessmentEvidence.objects.exists()


def test_instructor_cannot_open_assessment_form_of_another_union(client, world):
    client.force_login(world["mine"]["instructor_user"])
    url = reverse("standards:assessment_create", args=[world["other"]["union"].pk])
    assert client.get(url).status_code == 404


def test_other_scope_assessment_is_404_and_absent_from_list(client, world, fixture_set):
    theirs = assess(world["other"], fixture_set)
    client.force_login(world["mine"]["admin"])
    detail = reverse("standards:assessment_detail", args=[theirs.pk])
    assert client.get(detail).status_code == 404
    page = client.get(reverse("standards:assessment_list")).content.decode()
    assert world["other"]["union"].name not in page


def _honour(side, year=2022):
    title = HonourTitle.objects.get(name="模范职工之家")
    return services.create_honour(
        actor=side["admin"], union=side["union"], title=title, level="city", year=year
    )


def _activity(side, title="技能比武"):
    return services.create_activity(
        actor=side["officer"],
        union=side["union"],
        kind="skills",
        title=title,
        held_on=date(2026, 10, 12),
        participant_count=60,
        photos=[png_upload()],
    )


def test_other_scope_honour_and_activity_are_hidden(client, world):
    _honour(world["other"])
    activity = _activity(world["other"], title="株洲技能比武")
    client.force_login(world["mine"]["admin"])
    assert "株洲测试工会" not in client.get(reverse("standards:honour_list")).content.decode()
    assert "株洲技能比武" not in client.get(reverse("standards:activity_list")).content.decode()
    assert client.get(reverse("standards:activity_detail", args=[activity.pk])).status_code == 404
    photo = activity.photos.get()
    assert client.get(reverse("standards:activity_photo", args=[photo.pk])).status_code == 404


def test_worker_honour_needs_the_persons_name(world):
    title = HonourTitle.objects.get(name="芙蓉百岗明星")
    with pytest.raises(Exception) as error:
        services.create_honour(
            actor=world["mine"]["admin"],
            union=world["mine"]["union"],
            title=title,
            level="city",
            year=2022,
        )
    assert "person_name" in error.value.message_dict


def test_union_page_shows_scores_honours_and_activities(client, world, fixture_set):
    mine = world["mine"]
    assess(mine, fixture_set, assessed_on=date(2026, 3, 10), yes=False)
    assess(mine, fixture_set, kind="term_end")
    _honour(mine)
    _activity(mine)
    client.force_login(mine["officer"])
    page = client.get(reverse("orgs:union_detail", args=[mine["union"].pk])).content.decode()
    assert 'id="standards-chart-data"' in page
    assert "vendor/echarts/echarts.min.js" in page
    assert "模范职工之家" in page and "技能比武" in page and "75.00" in page


def test_no_answer_opens_a_rectification_item_once(client, world, fixture_set):
    mine = world["mine"]
    assessment = assess(mine, fixture_set, yes=False)
    answer = assessment.answers.get(indicator=fixture_set["committee"])
    client.force_login(mine["instructor_user"])
    url = reverse("standards:answer_open_finding", args=[assessment.pk])
    client.post(url, {"answer": answer.pk})
    client.post(url, {"answer": answer.pk})
    answer.refresh_from_db()
    assert answer.finding is not None
    assert answer.finding.category == "organization"
    from zhidao.fieldwork.models import Finding

    assert Finding.objects.count() == 1


@pytest.mark.parametrize("answer", ["", "abc", "999999"])
def test_a_missing_or_wrong_indicator_is_a_message_not_an_error(client, world, fixture_set, answer):
    mine = world["mine"]
    assessment = assess(mine, fixture_set, yes=False)
    client.force_login(mine["instructor_user"])
    url = reverse("standards:answer_open_finding", args=[assessment.pk])
    response = client.post(url, {"answer": answer}, follow=True)
    assert response.status_code == 200
    assert "请选择本次评估中的指标" in response.content.decode()


def test_officer_cannot_open_a_rectification_item(client, world, fixture_set):
    mine = world["mine"]
    assessment = assess(mine, fixture_set, yes=False)
    answer = assessment.answers.get(indicator=fixture_set["committee"])
    client.force_login(mine["officer"])
    url = reverse("standards:answer_open_finding", args=[assessment.pk])
    assert client.post(url, {"answer": answer.pk}).status_code == 403


def test_admin_edit_creates_new_version_page(client, world, fixture_set):
    from zhidao.standards.models import IndicatorSet

    default = IndicatorSet.objects.filter(federation__isnull=True, is_current=True).first()
    client.force_login(world["mine"]["admin"])
    url = reverse("standards:indicator_set_edit", args=[default.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {key: value for key, value in data.items() if value not in (None, False)}
    data["weight_0_0"] = "9"
    response = client.post(url, data)
    assert response.status_code == 302
    new_set = IndicatorSet.objects.get(federation=world["mine"]["city"])
    assert new_set.indicators.get(code="committee").weight == Decimal(9)


def test_officer_cannot_edit_indicator_sets(client, world, fixture_set):
    client.force_login(world["mine"]["officer"])
    url = reverse("standards:indicator_set_edit", args=[fixture_set["set"].pk])
    assert client.get(url).status_code == 403


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url_name", ["standards:assessment_list", "standards:honour_list", "standards:activity_list"]
)
def test_list_pages_query_count_does_not_grow(client, world, fixture_set, url_name):
    mine = world["mine"]
    assess(mine, fixture_set)
    _honour(mine)
    _activity(mine)
    client.force_login(mine["admin"])
    url = reverse(url_name)
    one = _count(client, url)
    for index in range(29):
        assess(mine, fixture_set)
        _honour(mine, year=2000 + index % 20)
        _activity(mine, title=f"活动{index}")
    assert _count(client, url) == one


def test_statistics_counts_in_scope(client, world, fixture_set):
    _honour(world["mine"])
    _honour(world["other"])
    _activity(world["mine"])
    client.force_login(world["mine"]["admin"])
    response = client.get(reverse("figures:standards_statistics"))
    assert [row["count"] for row in response.context["honour_counts"]] == [1]
    assert response.context["activity_counts"][0]["participants"] == 60
