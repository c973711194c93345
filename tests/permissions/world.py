"""Two separate cities, each with one row of every kind a URL can name, and one user per role.

The matrix asks every route as every role of the first city ("mine") about the first city's row
("own") and about the second city's ("other"). Rows are made through the services where those
hold the rules (reports, cases, appeals), directly where a test only needs the row to exist.
"""

import io
import uuid
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from PIL import Image

from tests import factories
from zhidao.accounts.models import Role
from zhidao.appeals.models import AppealPhoto
from zhidao.appeals.public_services import current_poster_token, submit_appeal
from zhidao.exchange import services as exchange_services
from zhidao.exchange.models import Audience, CaseAttachment, CaseImage, EventKind
from zhidao.exports.models import ExportFile, ExportStatus
from zhidao.fieldwork import services as fieldwork_services
from zhidao.fieldwork.models import (
    FindingEvidence,
    LeaveKind,
    LeaveRequest,
    OnSiteDay,
    OnSiteDayPhoto,
    OnSiteDayStatus,
    PracticalMatterPhoto,
    WorkRecordAttachment,
)
from zhidao.fieldwork.records import services as records_services
from zhidao.imports.models import ImportJob, ImportStatus
from zhidao.notifications.models import Notification
from zhidao.reports import services as report_services
from zhidao.standards import services as standards_services
from zhidao.standards.defaults import ensure_defaults
from zhidao.standards.models import (
    ActivityPhoto,
    AssessmentEvidence,
    HonourTitle,
    Indicator,
    IndicatorCategory,
    IndicatorSet,
    RuleKind,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Wednesday in the term of the factories' assignments (March 2026 – February 2027).
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()

# The roles the matrix asks as; "anonymous" has no account.
ROLES = ("anonymous", "admin", "leader", "instructor", "officer", "rights", "superuser")


def jpeg(name: str = "photo.jpg") -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 40, 40)).save(buffer, format="JPEG")
    return ContentFile(buffer.getvalue(), name=name)


def pdf(name: str = "file.pdf") -> ContentFile:
    return ContentFile(b"%PDF-1.4\n%%EOF\n", name=name)


def _side(prefix: str) -> dict:
    city = factories.make_federation(name=f"{prefix}市总工会")
    district = factories.make_federation(name=f"{prefix}区总工会", level="district", parent=city)
    union = factories.UnionFactory(name=f"{prefix}测试工会", federation=district)
    organization = factories.OrganizationFactory(
        name=f"{prefix}测试有限公司", federation=district, union=union
    )
    instructor = factories.InstructorFactory(name=f"{prefix}指导员", federation=city)
    batch = factories.BatchFactory(federation=city, name=f"{prefix}第一期")
    assignment = factories.make_assignment(
        instructor=instructor, organizations=[organization], batch=batch
    )
    rights = factories.UserFactory()
    factories.grant(rights, Role.RIGHTS_STAFF, federation=city)
    side = {
        "city": city,
        "district": district,
        "union": union,
        "organization": organization,
        "instructor_row": instructor,
        "batch": batch,
        "assignment": assignment,
        "admin": factories.federation_admin(city),
        "leader": factories.federation_leader(city),
        "instructor": instructor.user,
        "officer": factories.union_officer(union),
        "rights": rights,
    }
    _field_work(side)
    _standards(side)
    _exchange(side)
    _appeal(side)
    side["import_job"] = _import_job(side)
    side["report"] = report_services.create_or_get_draft(
        actor=side["instructor"], assignment=assignment, year=2026, quarter=4
    )
    side["notifications"] = {
        role: Notification.objects.create(
            recipient=side[role], kind="other", cause_key=f"matrix-{role}", title="提醒"
        )
        for role in ("admin", "leader", "instructor", "officer", "rights")
    }
    side["export_files"] = {
        role: _export_file(side[role])
        for role in ("admin", "leader", "instructor", "officer", "rights")
    }
    return side


def _export_file(user) -> ExportFile:
    export_file = ExportFile(
        user=user, list_key="on-site-days", filename="驻点记录.xlsx", status=ExportStatus.DONE
    )
    export_file.file.save("matrix.xlsx", ContentFile(b"PK\x03\x04 workbook"), save=False)
    export_file.save()
    return export_file


def _import_job(side: dict) -> ImportJob:
    job = ImportJob(
        kind="organizations",
        created_by=side["admin"],
        federation=side["city"],
        file_name="两新组织.xlsx",
        status=ImportStatus.DONE,
        total_rows=1,
        processed_rows=1,
        created_count=1,
    )
    job.file.save("organizations.xlsx", ContentFile(b"PK\x03\x04", name="x.xlsx"), save=False)
    job.save()
    return job


def _field_work(side: dict) -> None:
    assignment, organization, instructor = (
        side["assignment"],
        side["organization"],
        side["instructor"],
    )
    day = OnSiteDay.objects.create(
        assignment=assignment,
        organization=organization,
        instructor=side["instructor_row"],
        on_date=TODAY,
        checked_in_at=NOW,
        status=OnSiteDayStatus.UNCONFIRMED,
        client_uuid=uuid.uuid4(),
    )
    side["day"] = day
    side["day_photo"] = OnSiteDayPhoto.objects.create(day=day, image=jpeg())
    record = fieldwork_services.create_work_record(
        actor=instructor,
        client_uuid=uuid.uuid4(),
        assignment_id=assignment.pk,
        organization_id=organization.pk,
        duty="investigation",
        worked_on=TODAY,
        content="走访一线职工，了解工会经费使用情况",
    ).record
    side["record"] = record
    side["record_attachment"] = WorkRecordAttachment.objects.create(
        record=record, file=pdf(), original_name="记录.pdf"
    )
    finding = records_services.open_finding(
        actor=instructor,
        assignment_id=assignment.pk,
        organization_id=organization.pk,
        category="fund_account",
        description="未设立工会经费独立账户",
        recommendation="年内到银行开设独立账户",
        due_on=date(2026, 12, 31),
    )
    side["finding"] = finding
    side["finding_evidence"] = FindingEvidence.objects.create(
        finding=finding, file=pdf(), original_name="整改.pdf", uploaded_by=instructor
    )
    matter = records_services.create_practical_matter(
        actor=instructor,
        assignment_id=assignment.pk,
        organization_id=organization.pk,
        title="职工食堂改造",
        beneficiary="workers",
        category="canteen",
        beneficiaries_count=120,
        status="done",
    )
    side["matter"] = matter
    side["matter_photo"] = PracticalMatterPhoto.objects.create(matter=matter, image=jpeg())
    side["leave"] = LeaveRequest.objects.create(
        instructor=side["instructor_row"],
        kind=LeaveKind.LEAVE,
        starts_on=date(2026, 12, 7),
        ends_on=date(2026, 12, 9),
        reason="病假",
    )


def _standards(side: dict) -> None:
    indicator_set = IndicatorSet.objects.create(
        name=f"{side['city'].name}指标", federation=side["city"]
    )
    category = IndicatorCategory.objects.create(indicator_set=indicator_set, name="组织建设")
    indicator = Indicator.objects.create(
        indicator_set=indicator_set,
        category=category,
        code="committee",
        text="工会委员会依法选举产生",
        weight=Decimal(100),
        rule=RuleKind.YES_NO,
        finding_category="organization",
    )
    side["indicator_set"] = indicator_set
    assessment = standards_services.create_assessment(
        actor=side["instructor"],
        union=side["union"],
        kind="baseline",
        assessed_on=TODAY,
        answers={indicator.pk: {"yes": False}},
        indicator_set=indicator_set,
    )
    side["assessment"] = assessment
    side["assessment_evidence"] = AssessmentEvidence.objects.create(
        answer=assessment.answers.get(), file=pdf(), original_name="证明.pdf"
    )
    side["honour"] = standards_services.create_honour(
        actor=side["admin"],
        union=side["union"],
        title=HonourTitle.objects.order_by("pk").first(),
        level="city",
        awarded_on=date(2026, 5, 1),
    )
    activity = standards_services.create_activity(
        actor=side["officer"],
        union=side["union"],
        kind="skills",
        title="职工技能竞赛",
        held_on=date(2026, 10, 15),
        participant_count=60,
    )
    side["activity"] = activity
    side["activity_photo"] = ActivityPhoto.objects.create(activity=activity, image=jpeg())


def _exchange(side: dict) -> None:
    side["event"] = exchange_services.create_event(
        actor=side["admin"],
        title="工会经费管理与审计实务",
        kind=EventKind.LECTURE,
        federation=side["city"],
        held_on=TODAY,
        starts_at=time(14, 0),
        ends_at=time(16, 0),
        place="市总工会三楼会议室",
        speaker="经费审查办主任",
        audience=Audience.BOTH,
    )
    author = side["instructor"]
    case = exchange_services.create_case(
        actor=author, title="职工食堂改造", union=side["union"], tags="食堂", text="经验"
    )
    exchange_services.submit_case(case=case, actor=author)
    exchange_services.publish_case(case=case, actor=side["admin"])
    side["case"] = case
    side["case_image"] = CaseImage.objects.create(case=case, image=jpeg())
    side["case_attachment"] = CaseAttachment.objects.create(
        case=case, file=pdf(), original_name="经验.pdf"
    )
    side["draft_case"] = exchange_services.create_case(
        actor=author, title="户外劳动者驿站", union=side["union"], text="草稿"
    )


def _appeal(side: dict) -> None:
    side["poster"] = current_poster_token(organization=side["organization"])
    appeal = submit_appeal(
        organization=side["organization"],
        category="wages",
        description="车间拖欠三个月工资。",
        anonymous=False,
        name="王小明",
        phone="13912345678",
        consent=True,
        poster=side["poster"],
    )
    side["appeal"] = appeal
    side["appeal_photo"] = AppealPhoto.objects.create(appeal=appeal, image=jpeg())


def build_world() -> dict:
    ensure_defaults()
    superuser = factories.UserFactory(is_superuser=True, is_staff=True)
    mine = _side("湘潭")
    mine["notifications"]["superuser"] = Notification.objects.create(
        recipient=superuser, kind="other", cause_key="matrix-superuser", title="提醒"
    )
    mine["export_files"]["superuser"] = _export_file(superuser)
    return {
        "mine": mine,
        "other": _side("株洲"),
        "superuser": superuser,
        "honour_title": HonourTitle.objects.order_by("pk").first(),
    }
