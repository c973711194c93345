from django.contrib import admin
from django.urls import include, path

handler404 = "zhidao.core.errors.page_not_found"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("zhidao.accounts.urls")),
    path("orgs/", include("zhidao.orgs.urls")),
    path("dispatch/", include("zhidao.dispatch.urls")),
    path("dispatch/", include("zhidao.evaluation.urls")),
    path("fieldwork/", include("zhidao.fieldwork.urls")),
    path("holidays/", include("zhidao.holidays.urls")),
    path("standards/", include("zhidao.standards.urls")),
    path("", include("zhidao.figures.urls")),
    path("exchange/", include("zhidao.exchange.urls")),
    path("appeals/", include("zhidao.appeals.urls")),
    # Public pages reached from a QR poster: no login, short URLs.
    path("v/", include("zhidao.appeals.public_urls")),
    path("reports/", include("zhidao.reports.urls")),
    path("inbox/", include("zhidao.notifications.urls")),
    path("audit/", include("zhidao.audit.urls")),
    path("people/", include("zhidao.people.urls")),
    path("exports/", include("zhidao.exports.urls")),
    path("imports/", include("zhidao.imports.urls")),
    path("api/", include("zhidao.api.urls")),
    path("", include("zhidao.dashboard.urls")),
]
