from datetime import date, time

import pytest
import time_machine

from zhidao.exchange import services
from zhidao.exchange.models import Audience, EventKind

# 2026-11-25, a Wednesday; the events below run from 14:00 to 16:00 local time.
NOW_DURING = "2026-11-25 14:30:00 +08:00"


@pytest.fixture
def during():
    with time_machine.travel(NOW_DURING, tick=False):
        yield


def make_event(world_side, *, audience=Audience.BOTH, kind=EventKind.LECTURE, **kw):
    fields = {
        "title": "工会经费管理与审计实务",
        "kind": kind,
        "federation": world_side["city"],
        "held_on": date(2026, 11, 25),
        "starts_at": time(14, 0),
        "ends_at": time(16, 0),
        "place": "市总工会三楼会议室",
        "speaker": "经费审查办主任",
        "audience": audience,
        **kw,
    }
    return services.create_event(actor=world_side["admin"], **fields)


def make_case(world_side, *, title, text, tags="", publish=True):
    side = world_side
    case = services.create_case(
        actor=side["instructor_user"], title=title, union=side["union"], tags=tags, text=text
    )
    if publish:
        services.submit_case(case=case, actor=side["instructor_user"])
        services.publish_case(case=case, actor=side["admin"])
        case.refresh_from_db()
    return case
