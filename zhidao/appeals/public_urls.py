app_name = "appeals_public"

urlpatterns: list = []
