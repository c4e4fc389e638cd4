from __future__ import annotations

from django.urls import path

from nrm.registry.views import audit, case_actions, cases, register, search

app_name = "registry"
urlpatterns = [
    path("cases/", cases.my_cases, name="my_cases"),
    path("cases/<str:code>/", cases.case_detail, name="case_detail"),
    path("cases/<str:code>/edit/", case_actions.case_edit, name="case_edit"),
    path("cases/<str:code>/close/", case_actions.case_close, name="case_close"),
    path("cases/<str:code>/events/add/", case_actions.event_add, name="event_add"),
    path("cases/<str:code>/consents/add/", case_actions.consent_add, name="consent_add"),
    path("cases/<str:code>/consents/<int:consent_id>/withdraw/", case_actions.consent_withdraw,
         name="consent_withdraw"),
    path("cases/<str:code>/assign/", case_actions.case_assign, name="case_assign"),
    path("register/", register.register, name="register"),
    path("regions/", register.region_options, name="region_options"),
    path("search/", search.search, name="search"),
    path("audit/", audit.audit_log, name="audit_log"),
]
