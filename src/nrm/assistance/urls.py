from __future__ import annotations

from django.urls import path

from nrm.assistance.views import actions, cases

app_name = "assistance"
urlpatterns = [
    path("follow-ups/", cases.follow_ups_due, name="follow_ups_due"),
    path("cases/<str:code>/", cases.case_assistance, name="case"),
    path("cases/<str:code>/plans/add/", actions.plan_add, name="plan_add"),
    path("cases/<str:code>/plans/<int:pk>/", actions.plan_edit, name="plan_edit"),
    path("cases/<str:code>/services/add/", actions.service_add, name="service_add"),
    path("cases/<str:code>/services/<int:pk>/", actions.service_edit, name="service_edit"),
    path("cases/<str:code>/returns/add/", actions.return_add, name="return_add"),
    path("cases/<str:code>/returns/<int:pk>/", actions.return_edit, name="return_edit"),
    path("cases/<str:code>/returns/<int:pk>/cancel/", actions.return_cancel,
         name="return_cancel"),
    path("cases/<str:code>/returns/<int:pk>/reception/", actions.reception, name="reception"),
    path("cases/<str:code>/follow-ups/add/", actions.follow_up_add, name="follow_up_add"),
    path("cases/<str:code>/follow-ups/contact/", actions.contact_add, name="contact_add"),
    path("cases/<str:code>/follow-ups/<int:pk>/", actions.follow_up_reschedule,
         name="follow_up_reschedule"),
    path("cases/<str:code>/follow-ups/<int:pk>/contact/", actions.follow_up_contact,
         name="follow_up_contact"),
    path("cases/<str:code>/follow-ups/<int:pk>/cancel/", actions.follow_up_cancel,
         name="follow_up_cancel"),
]
