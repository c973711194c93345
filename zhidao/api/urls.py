from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import DefaultRouter

from zhidao.accounts.api import CsrfTokenView, ObtainTokenView, RevokeTokenView
from zhidao.accounts.tokens import SchemaReaders
from zhidao.appeals.api import AppealViewSet, PublicPosterViewSet, PublicTicketViewSet
from zhidao.dashboard.api import DashboardViewSet, WorkbenchViewSet
from zhidao.dispatch.api import AssignmentViewSet, BatchViewSet, InstructorViewSet
from zhidao.evaluation.api import EvaluationViewSet
from zhidao.exchange.api import CaseViewSet, EventViewSet
from zhidao.fieldwork.compliance.api import ComplianceViewSet, LeaveRequestViewSet
from zhidao.fieldwork.onsite.api import OnSiteDayViewSet
from zhidao.fieldwork.records.api import (
    FindingViewSet,
    PracticalMatterViewSet,
    WorkRecordViewSet,
)
from zhidao.imports.api import ImportViewSet
from zhidao.notifications.api import NotificationViewSet
from zhidao.orgs.api import FederationViewSet, OrganizationViewSet, UnionViewSet
from zhidao.people.api import AccountViewSet
from zhidao.reports.api import QuarterlyReportViewSet, UpwardReportViewSet
from zhidao.standards.api import (
    ActivityViewSet,
    AssessmentViewSet,
    HonourViewSet,
    IndicatorSetViewSet,
)

app_name = "api"

# The schema and docs are for logged-in users in production (accounts/tokens.py).
SCHEMA = [SchemaReaders]

# Redoc (styled-components) writes <style> elements and runs its search in a worker from a blob:
# address; its page alone allows both (settings CONTENT_SECURITY_POLICY). Its scripts stay files.
REDOC_POLICY = {"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]}

router = DefaultRouter()
router.register("federations", FederationViewSet, basename="federation")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("unions", UnionViewSet, basename="union")
router.register("instructors", InstructorViewSet, basename="instructor")
router.register("batches", BatchViewSet, basename="batch")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("evaluations", EvaluationViewSet, basename="evaluation")
router.register("on-site-days", OnSiteDayViewSet, basename="on-site-day")
router.register("work-records", WorkRecordViewSet, basename="work-record")
router.register("findings", FindingViewSet, basename="finding")
router.register("practical-matters", PracticalMatterViewSet, basename="practical-matter")
router.register("compliance", ComplianceViewSet, basename="compliance")
router.register("leave-requests", LeaveRequestViewSet, basename="leave-request")
router.register("indicator-sets", IndicatorSetViewSet, basename="indicator-set")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("honours", HonourViewSet, basename="honour")
router.register("activities", ActivityViewSet, basename="activity")
router.register("appeals", AppealViewSet, basename="appeal")
router.register("public/posters", PublicPosterViewSet, basename="public-poster")
router.register("public/tickets", PublicTicketViewSet, basename="public-ticket")
router.register("exchange-events", EventViewSet, basename="exchange-event")
router.register("cases", CaseViewSet, basename="case")
router.register("quarterly-reports", QuarterlyReportViewSet, basename="quarterly-report")
router.register("upward-report", UpwardReportViewSet, basename="upward-report")
router.register("dashboard", DashboardViewSet, basename="dashboard")
router.register("workbench", WorkbenchViewSet, basename="workbench")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("accounts", AccountViewSet, basename="account")

urlpatterns = [
    path("token/", ObtainTokenView.as_view(), name="token"),
    path("token/revoke/", RevokeTokenView.as_view(), name="token-revoke"),
    path("csrf/", CsrfTokenView.as_view(), name="csrf"),
    path("schema/", SpectacularAPIView.as_view(permission_classes=SCHEMA), name="schema"),
    # The split view serves its start-up script as a file, and its template has no <style>, so
    # the page runs under the site's policy as it is (CSP).
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html", permission_classes=SCHEMA
        ),
        name="docs",
    ),
    path(
        "redoc/",
        csp_update(REDOC_POLICY)(
            SpectacularRedocView.as_view(
                url_name="api:schema", template_name="api/redoc.html", permission_classes=SCHEMA
            )
        ),
        name="redoc",
    ),
    path(
        "imports/<slug:kind>/template/",
        ImportViewSet.as_view({"get": "template"}),
        name="import-template",
    ),
    path(
        "imports/<slug:kind>/export/",
        ImportViewSet.as_view({"get": "export"}),
        name="import-export",
    ),
    path("imports/<slug:kind>/", ImportViewSet.as_view({"post": "run"}), name="import-run"),
    path("", include(router.urls)),
]
