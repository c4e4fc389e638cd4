from __future__ import annotations

from django.urls import path

from nrm.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.organisation_list_view, name="organisation_list"),
    path("new/", views.organisation_create_view, name="organisation_create"),
    path("regions/", views.region_options_view, name="region_options"),
    path("<int:organisation_id>/", views.organisation_detail_view, name="organisation_detail"),
    path("<int:organisation_id>/edit/", views.organisation_edit_view, name="organisation_edit"),
]
