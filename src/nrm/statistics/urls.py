from __future__ import annotations

from django.urls import path

from nrm.statistics import views

app_name = "statistics"
urlpatterns = [
    path("one-count/", views.one_count_page, name="one_count"),
    path("referrals-and-assistance/", views.assistance_figures_page, name="assistance"),
]
