from django.urls import path

from . import views

app_name = "standards"

urlpatterns = [
    path("assessments/", views.assessment_list, name="assessment_list"),
    path("assessments/new/", views.assessment_choose_union, name="assessment_choose_union"),
    path("assessments/new/<int:union_pk>/", views.assessment_create, name="assessment_create"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/finding/", views.answer_open_finding, name="answer_open_finding"),
    path("assessments/evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("indicator-sets/", views.indicator_set_list, name="indicator_set_list"),
    path("indicator-sets/<int:pk>/", views.indicator_set_detail, name="indicator_set_detail"),
    path("indicator-sets/<int:pk>/edit/", views.indicator_set_edit, name="indicator_set_edit"),
    path("honours/", views.honour_list, name="honour_list"),
    path("honours/new/", views.honour_create, name="honour_create"),
    path("honours/titles/", views.honour_title_list, name="honour_title_list"),
    path("honours/titles/<int:pk>/", views.honour_title_edit, name="honour_title_edit"),
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/photos/<int:pk>/", views.activity_photo, name="activity_photo"),
]
