from __future__ import annotations

from django.urls import path

from nrm.justice.views import actions, cases, proceedings

app_name = "justice"
urlpatterns = [
    path("", cases.criminal_cases, name="cases"),
    path("open/", cases.criminal_case_open, name="open"),
    path("proceedings/<str:code>/", proceedings.criminal_proceedings, name="proceedings"),
    path("<int:pk>/", cases.criminal_case, name="case"),
    path("<int:pk>/qualification/", actions.qualification_change, name="qualification"),
    path("<int:pk>/stage/", actions.stage_change, name="stage"),
    path("<int:pk>/hearings/add/", actions.hearing_add, name="hearing_add"),
    path("<int:pk>/unregistered-victims/", actions.unregistered_victims_set,
         name="unregistered_victims"),
    path("<int:pk>/participants/link/", actions.participant_link, name="participant_link"),
    path("<int:pk>/participants/<int:participant>/", actions.participant_update,
         name="participant_update"),
    path("<int:pk>/participants/<int:participant>/compensation/",
         actions.compensation_record, name="compensation"),
    path("<int:pk>/offenders/add/", actions.offender_add, name="offender_add"),
    path("<int:pk>/offenders/<int:offender>/outcome/", actions.offender_outcome,
         name="offender_outcome"),
    path("<int:pk>/links/add/", actions.case_link, name="case_link"),
    path("<int:pk>/legal-assistance/add/", actions.legal_assistance_record,
         name="legal_assistance"),
    path("<int:pk>/legal-assistance/<int:request_pk>/answer/",
         actions.legal_assistance_answer, name="legal_assistance_answer"),
]
