from __future__ import annotations

from django.urls import path

from nrm.directory.views import agreements, organisations

app_name = "directory"
urlpatterns = [
    path("", organisations.organisation_list_view, name="organisation_list"),
    path("new/", organisations.organisation_create_view, name="organisation_create"),
    path("regions/", organisations.region_options_view, name="region_options"),
    path("<int:organisation_id>/", organisations.organisation_detail_view,
         name="organisation_detail"),
    path("<int:organisation_id>/edit/", organisations.organisation_edit_view,
         name="organisation_edit"),
    path("<int:organisation_id>/capacity/", organisations.organisation_capacity_view,
         name="organisation_capacity"),
    path("agreements/", agreements.agreement_list_view, name="agreement_list"),
    path("agreements/new/", agreements.agreement_create_view, name="agreement_create"),
    path("agreements/<int:agreement_id>/", agreements.agreement_detail_view,
         name="agreement_detail"),
    path("agreements/<int:agreement_id>/edit/", agreements.agreement_edit_view,
         name="agreement_edit"),
]
