from django.urls import path

from zhidao.core.placeholder import placeholder

app_name = "appeals"

# Staff pages; the public (no-login) pages live in public_urls.py under /v/.
urlpatterns = [path("", placeholder, name="appeal_list")]
