"""A closed appeal's contact is erased after its retention, by the tick, and the erasure logged
(PIPL; the consent text on the public form names the number of days)."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from zhidao.appeals import services
from zhidao.appeals.models import AppealEventKind
from zhidao.appeals.public_forms import AppealForm
from zhidao.appeals.tasks import appeals_tick

from .conftest import NAME, PHONE, make_appeal


def raw_contact(appeal) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT submitter_name, submitter_phone FROM appeals_appeal WHERE id = %s", [appeal.pk]
        )
        return cursor.fetchone()


def closed(world, appeal):
    services.accept_appeal(appeal=appeal, actor=world["mine"]["admin"])
    services.resolve_appeal(
        appeal=appeal, actor=world["mine"]["instructor_user"], resolution="已补发"
    )
    return services.close_with_rating(appeal=appeal, satisfaction=5, comment="")


@pytest.fixture(autouse=True)
def _ninety_days(settings):
    settings.APPEALS_CONTACT_RETENTION_DAYS = 90


def test_the_tick_erases_a_closed_appeals_contact_after_the_retention_not_before(
    world, named_appeal
):
    appeal = closed(world, named_appeal)

    appeals_tick(now=appeal.closed_at + timedelta(days=89, hours=23))
    appeal.refresh_from_db()
    assert (appeal.submitter_name, appeal.submitter_phone) == (NAME, PHONE)
    assert appeal.contact_erased_at is None

    moment = appeal.closed_at + timedelta(days=90)
    appeals_tick(now=moment)
    appeal.refresh_from_db()
    assert (appeal.submitter_name, appeal.submitter_phone) == ("", "")
    assert raw_contact(appeal) == ("", "")
    assert appeal.contact_erased_at == moment
    # The rest of the appeal stays: it still counts in the figures.
    assert appeal.description and appeal.satisfaction == 5


def test_the_erasure_is_in_the_audit_log_and_on_the_timeline(world, named_appeal):
    appeal = closed(world, named_appeal)
    moment = appeal.closed_at + timedelta(days=91)

    assert services.erase_expired_contacts(moment) == 1

    entry = (
        LogEntry.objects.get_for_object(appeal).order_by("-pk").first()
    )  # the clock stands still
    assert set(entry.changes_dict) == {"contact_erased_at"}
    assert entry.actor is None
    note = appeal.events.get(kind=AppealEventKind.NOTE)
    assert "90" in note.internal_note and note.public_text == "" and note.actor is None
    # The contact fields never went into the log, before or now.
    logged = {name for e in LogEntry.objects.get_for_object(appeal) for name in e.changes_dict}
    assert "contact_erased_at" in logged
    assert not logged & {"submitter_name", "submitter_phone"}


def test_a_not_accepted_appeal_is_erased_the_same_way(world, named_appeal):
    appeal = services.reject_appeal(
        appeal=named_appeal,
        actor=world["mine"]["admin"],
        reason="不属受理范围",
        referral="劳动仲裁委",
    )

    assert services.erase_expired_contacts(appeal.closed_at + timedelta(days=90)) == 1


def test_open_and_resolved_appeals_keep_their_contact_however_old(world, named_appeal):
    services.accept_appeal(appeal=named_appeal, actor=world["mine"]["admin"])
    resolved = make_appeal(world["mine"]["organization"])
    services.accept_appeal(appeal=resolved, actor=world["mine"]["admin"])
    services.resolve_appeal(
        appeal=resolved, actor=world["mine"]["instructor_user"], resolution="已补发"
    )

    # erase_expired_contacts alone: the tick would close the resolved one first.
    assert services.erase_expired_contacts(timezone.now() + timedelta(days=400)) == 0
    named_appeal.refresh_from_db()
    assert named_appeal.submitter_phone == PHONE


def test_erasing_twice_changes_nothing(world, named_appeal):
    appeal = closed(world, named_appeal)
    moment = appeal.closed_at + timedelta(days=90)
    services.erase_expired_contacts(moment)

    assert services.erase_expired_contacts(moment + timedelta(days=1)) == 0
    appeal.refresh_from_db()
    assert appeal.contact_erased_at == moment
    assert appeal.events.filter(kind=AppealEventKind.NOTE).count() == 1


def test_the_retention_is_a_setting(world, named_appeal, settings):
    settings.APPEALS_CONTACT_RETENTION_DAYS = 10
    appeal = closed(world, named_appeal)

    assert services.erase_expired_contacts(appeal.closed_at + timedelta(days=9)) == 0
    assert services.erase_expired_contacts(appeal.closed_at + timedelta(days=10)) == 1


def test_the_consent_text_names_the_retention(settings):
    settings.APPEALS_CONTACT_RETENTION_DAYS = 45
    with translation.override("zh-hans"):
        text = str(AppealForm().fields["consent"].help_text)
    assert "45" in text and "删除" in text
    with translation.override("en"):
        assert "erased 45 days after" in str(AppealForm().fields["consent"].help_text)


def test_the_staff_page_says_the_contact_was_erased(client, world, named_appeal, rights_staff):
    appeal = closed(world, named_appeal)
    services.erase_expired_contacts(appeal.closed_at + timedelta(days=90))
    client.force_login(rights_staff)

    response = client.get(
        reverse("appeals:appeal_detail", args=[appeal.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    assert response.status_code == 200
    assert "联系方式已于" in response.content.decode()
