from __future__ import annotations

from django.urls import path

from nrm.core import views

app_name = "core"
urlpatterns = [
    path("<int:job_id>/", views.job_page, name="job"),
]
