import pytest
from django.urls import reverse

from tests import factories
from zhidao.exchange import selectors, services
from zhidao.exchange.models import CaseStatus, CaseTransition, UsefulMark

from .conftest import make_case

CANTEEN_TEXT = "工会推动企业投入资金，对职工食堂进行改造升级，饭菜质量明显提高。"


@pytest.fixture
def library(world):
    mine = world["mine"]
    return {
        "canteen": make_case(mine, title="吉利汽车部件：职工食堂改造升级", text=CANTEEN_TEXT),
        "canteen_tag": make_case(
            mine, title="员工就餐环境改善", tags="食堂 就餐", text="新建就餐区，增加菜品。"
        ),
        "gym": make_case(mine, title="建起教职工羽毛球馆和健身房", text="改造闲置仓库为健身房。"),
        # 堂食 shares both characters with 食堂 but is another word.
        "dine_in": make_case(mine, title="餐饮门店堂食服务规范", text="规范门店堂食服务流程。"),
        "draft": make_case(
            mine, title="食堂管理委员会的做法", text="职工参与食堂管理。", publish=False
        ),
    }


def test_search_finds_canteen_cases_and_not_unrelated_ones(world, library):
    found = set(selectors.search_cases(selectors.case_list(world["mine"]["officer"]), "食堂"))
    assert found == {library["canteen"], library["canteen_tag"]}


def test_search_page_lists_canteen_cases(world, library, client):
    client.force_login(world["mine"]["officer"])
    page = client.get(reverse("exchange:case_list"), {"q": "食堂"}).content.decode()
    assert "职工食堂改造升级" in page
    assert "羽毛球馆" not in page
    assert "堂食" not in page


def test_draft_is_invisible_to_others_in_list_search_and_detail(world, library, client):
    draft = library["draft"]
    for user in (world["mine"]["officer"], world["other"]["admin"]):
        assert draft not in selectors.case_list(user)
        assert draft not in selectors.search_cases(selectors.case_list(user), "食堂")
        client.force_login(user)
        assert client.get(reverse("exchange:case_detail", args=[draft.pk])).status_code == 404


def test_author_and_own_admin_see_the_draft(world, library, client):
    draft = library["draft"]
    for user in (world["mine"]["instructor_user"], world["mine"]["admin"]):
        client.force_login(user)
        assert client.get(reverse("exchange:case_detail", args=[draft.pk])).status_code == 200


def test_published_case_is_invisible_to_another_federation(world, library, client):
    client.force_login(world["other"]["instructor_user"])
    url = reverse("exchange:case_detail", args=[library["canteen"].pk])
    assert client.get(url).status_code == 404


def test_submit_then_publish_records_actor_and_time(world):
    mine = world["mine"]
    case = make_case(mine, title="会务公开栏", text="每月公开经费使用情况。")
    steps = list(CaseTransition.objects.filter(case=case).values_list("to_status", "actor"))
    assert steps == [
        (CaseStatus.SUBMITTED, mine["instructor_user"].pk),
        (CaseStatus.PUBLISHED, mine["admin"].pk),
    ]
    assert case.published_at is not None


def test_another_federations_admin_cannot_publish(world, client):
    case = make_case(world["mine"], title="会务公开栏", text="每月公开。", publish=False)
    services.submit_case(case=case, actor=world["mine"]["instructor_user"])
    client.force_login(world["other"]["admin"])
    response = client.post(reverse("exchange:case_review", args=[case.pk]), {"decision": "publish"})
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_leader_cannot_publish(world):
    case = make_case(world["mine"], title="会务公开栏", text="每月公开。", publish=False)
    services.submit_case(case=case, actor=world["mine"]["instructor_user"])
    with pytest.raises(services.PermissionDenied):
        services.publish_case(case=case, actor=world["mine"]["leader"])


def test_return_needs_a_comment_and_lets_the_author_edit_again(world, client):
    mine = world["mine"]
    case = make_case(mine, title="会务公开栏", text="每月公开。", publish=False)
    services.submit_case(case=case, actor=mine["instructor_user"])
    with pytest.raises(services.ValidationError):
        services.return_case(case=case, actor=mine["admin"], comment="")
    services.return_case(case=case, actor=mine["admin"], comment="请补充照片")
    case.refresh_from_db()
    assert case.status == CaseStatus.RETURNED
    client.force_login(mine["instructor_user"])
    assert client.get(reverse("exchange:case_edit", args=[case.pk])).status_code == 200


def test_a_draft_cannot_be_published_without_submission(world):
    case = make_case(world["mine"], title="会务公开栏", text="每月公开。", publish=False)
    with pytest.raises(services.ValidationError):
        services.publish_case(case=case, actor=world["mine"]["admin"])


def test_mark_useful_counts_once_per_person(world, library, client):
    case = library["canteen"]
    client.force_login(world["mine"]["officer"])
    url = reverse("exchange:case_useful", args=[case.pk])
    client.post(url)
    client.post(url)
    assert UsefulMark.objects.filter(case=case).count() == 1
    assert selectors.case_detail(world["mine"]["officer"], case.pk).useful_count == 1


def test_rich_text_is_sanitized(world):
    case = make_case(
        world["mine"],
        title="测试",
        text='<p onclick="x()">好<strong>做法</strong></p><script>alert(1)</script>',
    )
    assert "<script" not in case.text and "onclick" not in case.text
    assert "<strong>做法</strong>" in case.text


def test_comment_and_discussion_post_with_a_reply(world, library, client):
    case = library["canteen"]
    client.force_login(world["mine"]["officer"])
    client.post(reverse("exchange:case_comment", args=[case.pk]), {"text": "很有借鉴意义"})
    client.post(reverse("exchange:case_post", args=[case.pk]), {"text": "改造花了多少钱？"})
    question = case.posts.get()
    client.force_login(world["mine"]["instructor_user"])
    client.post(
        reverse("exchange:case_post", args=[case.pk]), {"text": "约三十万元", "parent": question.pk}
    )
    page = client.get(reverse("exchange:case_detail", args=[case.pk])).content.decode()
    assert "很有借鉴意义" in page and "改造花了多少钱" in page and "约三十万元" in page


def test_read_only_leader_cannot_comment_mark_useful_or_post_on_a_case(world, library, client):
    """A federation leader reads the case library; it takes part in nothing (DESIGN.md roles)."""
    case = library["canteen"]
    client.force_login(world["mine"]["leader"])
    assert client.get(reverse("exchange:case_detail", args=[case.pk])).status_code == 200
    for name, data in (
        ("exchange:case_comment", {"text": "很有借鉴意义"}),
        ("exchange:case_useful", {}),
        ("exchange:case_post", {"text": "改造花了多少钱？"}),
    ):
        assert client.post(reverse(name, args=[case.pk]), data).status_code == 403, name
    assert not case.comments.exists()
    assert not UsefulMark.objects.filter(case=case).exists()
    assert not case.posts.exists()


def test_read_only_leader_cannot_comment_or_mark_useful_through_the_api(world, library):
    from rest_framework.test import APIClient

    case = library["canteen"]
    api = APIClient()
    api.force_authenticate(world["mine"]["leader"])
    assert api.get(f"/api/cases/{case.pk}/comments/").status_code == 200
    assert api.post(f"/api/cases/{case.pk}/comments/", {"text": "好"}).status_code == 403
    assert api.post(f"/api/cases/{case.pk}/useful/").status_code == 403
    assert api.post(f"/api/cases/{case.pk}/posts/", {"text": "问"}).status_code == 403
    assert not case.comments.exists() and not case.posts.exists()
    assert not UsefulMark.objects.filter(case=case).exists()


def test_the_services_refuse_a_leader_too(world, library):
    case, leader = library["canteen"], world["mine"]["leader"]
    with pytest.raises(services.PermissionDenied):
        services.add_comment(case=case, author=leader, text="很有借鉴意义")
    with pytest.raises(services.PermissionDenied):
        services.mark_useful(case=case, user=leader)
    with pytest.raises(services.PermissionDenied):
        services.add_post(case=case, author=leader, text="改造花了多少钱？")


def test_case_list_query_count_does_not_grow(world, client, django_assert_num_queries):
    mine = world["mine"]
    make_case(mine, title="案例0", text="内容")
    client.force_login(mine["officer"])
    url = reverse("exchange:case_list")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for number in range(1, 30):
        make_case(mine, title=f"案例{number}", text="内容", publish=number % 2 == 0)
    other_union = factories.UnionFactory(federation=mine["district"])
    assert other_union
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(one)
