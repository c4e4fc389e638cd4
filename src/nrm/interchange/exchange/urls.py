from __future__ import annotations

from django.urls import path

from nrm.interchange.exchange import views

app_name = "exchange"
urlpatterns = [
    path("partners/", views.partners, name="partners"),
    path("partners/register/", views.partner_register, name="partner_register"),
    path("partners/<int:pk>/", views.partner, name="partner"),
    path("partners/<int:pk>/organisations/", views.remote_organisation_mark,
         name="remote_organisation_mark"),
    path("partners/<int:pk>/organisations/<int:organisation>/remove/",
         views.remote_organisation_unmark, name="remote_organisation_unmark"),
]
