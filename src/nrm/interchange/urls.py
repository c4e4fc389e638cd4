from __future__ import annotations

from django.urls import include, path

app_name = "interchange"
urlpatterns = [
    path("exchange/", include("nrm.interchange.exchange.urls")),
]
