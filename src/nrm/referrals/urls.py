from __future__ import annotations

from django.urls import path

from nrm.referrals.views import cases, deadlines, inbox

app_name = "referrals"
urlpatterns = [
    path("", inbox.inbox, name="inbox"),
    path("sent/", inbox.sent, name="sent"),
    path("deadlines/", deadlines.response_deadlines, name="deadlines"),
    path("case/<str:code>/", cases.case_referrals, name="case_referrals"),
    path("case/<str:code>/new/", cases.refer_choose, name="refer_choose"),
    path("case/<str:code>/new/<int:organisation_id>/", cases.refer, name="refer"),
    path("<str:code>/", inbox.referral, name="referral"),
    path("<str:code>/accept/", inbox.referral_accept, name="accept"),
    path("<str:code>/decline/", inbox.referral_decline, name="decline"),
    path("<str:code>/start/", inbox.referral_start, name="start"),
    path("<str:code>/complete/", inbox.referral_complete, name="complete"),
    path("<str:code>/cancel/", inbox.referral_cancel, name="cancel"),
    path("<str:code>/shared/", inbox.shared_case, name="shared_case"),
]
