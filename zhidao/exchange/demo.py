"""Demo data of the exchange app, on top of what `load_demo --size small` creates."""

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from zhidao.orgs.models import Federation, Union

from . import services
from .models import Attendance, Audience, Event, EventKind

CITY = "湘潭市总工会"
GEELY_UNION = "湖南吉利汽车部件有限公司工会"
UNIVERSITY_UNION = "湖南软件职业技术大学工会"
GAS_UNION = "湘潭莲城燃气有限公司工会"

CASES = (
    (
        "ouyang", GEELY_UNION, "吉利汽车部件：职工食堂改造升级", "食堂 办实事 职工之家",
        "指导员欧阳新建在驻点调研中了解到，职工反映食堂就餐拥挤、菜品单一。他推动工会与企业协商，"
        "企业投入资金对职工食堂进行改造升级，增设夜班餐和少数民族窗口，职工满意度明显提高。\n\n"
        "经验：先调查、再协商，把职工的小事当作工会的大事来办。", True,
    ),
    (
        "zouqian", UNIVERSITY_UNION, "软件职业技术大学：建起教职工羽毛球馆和健身房",
        "文体活动 办实事 教代会",
        "指导员邹谦指导学校工会建立教职工代表大会制度、设立工会经费独立账户，"
        "并推动学校建起教职工羽毛球馆和健身房，教职工业余生活更加丰富。", True,
    ),
    (
        "pengdonggui", GAS_UNION, "燃气公司：户外劳动者驿站建设", "户外劳动者 驿站 企业服务",
        "指导员彭东贵推动燃气公司工会建设户外劳动者驿站，为抄表员、巡线工提供饮水、休息、"
        "充电等服务；还帮助企业及时办理即将过期的保险执照资质，避免了经营损失。", True,
    ),
    (
        "ouyang", GEELY_UNION, "以技能比武带动职工技能提升", "技能比武 劳动竞赛",
        "吉利汽车部件工会每年组织技能比武和演讲比赛，石艳芬获评芙蓉百岗明星。（草稿，待完善）",
        False,
    ),
)  # fmt: skip


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def load_demo_exchange(*, today: date, rng: random.Random) -> dict[str, int]:
    users = {u.username: u for u in get_user_model().objects.all() if u.username in {
        "admin", "ouyang", "zouqian", "pengdonggui", "geely_chair",
    }}  # fmt: skip
    admin = users["admin"]
    city = Federation.objects.get(name=CITY)
    unions = {
        u.name: u for u in Union.objects.filter(name__in=[GEELY_UNION, UNIVERSITY_UNION, GAS_UNION])
    }
    instructors = [users[name] for name in ("ouyang", "zouqian", "pengdonggui") if name in users]

    def event(title, kind, day, start, end, audience, **kw):
        return Event.objects.create(
            title=title, kind=kind, federation=city, held_on=day, starts_at=start, ends_at=end,
            audience=audience, created_by=admin, **kw,
        )  # fmt: skip

    lecture_day = today - timedelta(days=14)
    lecture = event(
        "工会经费管理与审计实务", EventKind.LECTURE, lecture_day, time(14, 30), time(17, 0),
        Audience.INSTRUCTORS, place="湘潭市总工会四楼会议室", speaker="市总工会经费审查办主任",
        description="讲解工会经费独立核算、经费审查委员会的工作和常见审计问题。", capacity=40,
    )  # fmt: skip
    visit = event(
        "走进模范职工之家：湖南吉利汽车部件有限公司", EventKind.SITE_VISIT,
        today - timedelta(days=7), time(9, 0), time(11, 30), Audience.BOTH,
        place="湘潭经开区吉利路", host_union=unions.get(GEELY_UNION),
        description="观摩市级模范职工之家建设，交流职工食堂改造和技能比武的做法。",
    )  # fmt: skip
    joint = event(
        "指导员与基层工会干部联合开展职工健步走", EventKind.JOINT_ACTIVITY,
        today + timedelta(days=10), time(8, 30), time(11, 0), Audience.BOTH,
        place="湘潭市雨湖公园",
    )  # fmt: skip
    event(
        "网络互动：两新组织工会会务公开答疑", EventKind.ONLINE, today + timedelta(days=3),
        time(19, 30), time(21, 0), Audience.BOTH, online_link="https://meeting.example.cn/zhidao",
    )  # fmt: skip
    for user in instructors:
        services.Registration.objects.create(event=lecture, user=user)
        Attendance.objects.create(
            event=lecture, user=user, signed_in_at=_at(lecture_day, 14, rng.randint(5, 29))
        )
    if "geely_chair" in users:
        Attendance.objects.create(
            event=visit, user=users["geely_chair"], signed_in_at=_at(visit.held_on, 8, 50)
        )
        services.Registration.objects.create(event=joint, user=users["geely_chair"])

    cases = []
    for username, union_name, title, tags, text, publish in CASES:
        if username not in users or union_name not in unions:
            continue
        case = services.create_case(
            actor=users[username], title=title, union=unions[union_name], tags=tags, text=text
        )
        if publish:
            services.submit_case(case=case, actor=users[username])
            services.publish_case(case=case, actor=admin, comment="经验具体，可复制推广。")
        cases.append((case, publish))
    published = [case for case, publish in cases if publish]
    if published:
        canteen = published[0]
        if "geely_chair" in users:
            services.add_comment(case=canteen, author=users["zouqian"], text="学校食堂也可以借鉴。")
            services.mark_useful(case=canteen, user=users["zouqian"])
            services.mark_useful(case=canteen, user=users["geely_chair"])
        question = services.add_post(
            author=users["pengdonggui"], case=canteen, text="改造资金是企业全额承担的吗？"
        )
        services.add_post(
            author=users["ouyang"], parent=question, text="企业出资为主，工会经费补贴部分设备。"
        )
    question = services.add_post(
        author=users["zouqian"], event=lecture, text="经费审查委员会多久开一次会比较合适？"
    )
    services.add_post(
        author=admin, parent=question, text="至少每季度一次，年度审查报告提交会员代表大会。"
    )
    return {"exchange events": 4, "cases": len(cases), "event sign-ins": Attendance.objects.count()}
