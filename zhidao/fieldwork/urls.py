from django.urls import include, path

app_name = "fieldwork"

# Each part of field work keeps its own url module, so the parts can change independently.
urlpatterns = [
    path("", include("zhidao.fieldwork.onsite_urls")),
    path("", include("zhidao.fieldwork.records_urls")),
    path("", include("zhidao.fieldwork.compliance_urls")),
    path("", include("zhidao.fieldwork.offline_urls")),
]
