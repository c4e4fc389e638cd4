from __future__ import annotations

from django.urls import path

from nrm.identification.views import cases, figures, rules, screenings, worklist

app_name = "identification"
urlpatterns = [
    path("cases/<str:code>/", cases.case_identification, name="case"),
    path("cases/<str:code>/screenings/start/", screenings.screening_start,
         name="screening_start"),
    path("cases/<str:code>/request/", cases.decision_request, name="decision_request"),
    path("cases/<str:code>/decide/", cases.status_decide, name="status_decide"),
    path("cases/<str:code>/decisions/<int:pk>/appeal/", cases.appeal_lodge, name="appeal_lodge"),
    path("cases/<str:code>/appeals/<int:pk>/outcome/", cases.appeal_decide,
         name="appeal_decide"),
    path("screenings/<int:pk>/", screenings.screening, name="screening"),
    path("screenings/<int:pk>/complete/", screenings.screening_complete,
         name="screening_complete"),
    path("requests/", worklist.inbox, name="inbox"),
    path("due/", worklist.due, name="due"),
    path("rules/", rules.country_rules, name="country_rules"),
    path("figures/", figures.figures, name="figures"),
]
