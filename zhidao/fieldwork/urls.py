from django.urls import include, path

app_name = "fieldwork"

# Each part of field work keeps its own url module, so the parts can change independently.
urlpatterns = [
    path("", include("zhidao.fieldwork.onsite.urls")),
    path("", include("zhidao.fieldwork.records.urls")),
    path("", include("zhidao.fieldwork.compliance.urls")),
    path("", include("zhidao.fieldwork.offline.urls")),
]
