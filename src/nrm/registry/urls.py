from __future__ import annotations

from django.urls import path
from django.views.generic import TemplateView

app_name = "registry"
urlpatterns = [
    path("cases/", TemplateView.as_view(template_name="base.html"), name="my_cases"),
    path("search/", TemplateView.as_view(template_name="base.html"), name="search"),
    path("register/", TemplateView.as_view(template_name="base.html"), name="register"),
    path("audit/", TemplateView.as_view(template_name="base.html"), name="audit_log"),
]
