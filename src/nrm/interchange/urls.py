from __future__ import annotations

from django.urls import include, path

from nrm.interchange import views

app_name = "interchange"
urlpatterns = [
    path("", views.home, name="home"),
    path("exchange/", include("nrm.interchange.exchange.urls")),
    path("export/", views.export, name="export"),
    path("exports/<int:job_id>/file/", views.export_download, name="export_download"),
    path("imports/", views.import_upload, name="import_upload"),
    path("imports/<int:import_id>/", views.import_detail, name="import_detail"),
    path("imports/<int:import_id>/confirm/", views.import_confirm, name="import_confirm"),
    path("imports/<int:import_id>/discard/", views.import_discard, name="import_discard"),
]
