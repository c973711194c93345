from django.urls import path

from . import public_views

app_name = "appeals_public"

# Public (no-login) pages under /v/; the poster pages need a login (staff).
urlpatterns = [
    path("ticket/", public_views.ticket_lookup, name="ticket_lookup"),
    path("ticket/<str:code>/", public_views.ticket_detail, name="ticket"),
    path("posters/<int:organization_id>/", public_views.poster_page, name="poster"),
    path(
        "posters/<int:organization_id>/poster.<str:kind>",
        public_views.poster_file,
        name="poster_file",
    ),
    path("posters/<int:organization_id>/rotate/", public_views.poster_rotate, name="rotate"),
    path("<str:token>/", public_views.appeal_page, name="appeal"),
]
