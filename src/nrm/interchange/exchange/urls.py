from __future__ import annotations

from django.urls import path

from nrm.interchange.exchange.views import packages, partners

app_name = "exchange"
urlpatterns = [
    path("partners/", partners.partners, name="partners"),
    path("partners/register/", partners.partner_register, name="partner_register"),
    path("partners/<int:pk>/", partners.partner, name="partner"),
    path("partners/<int:pk>/organisations/", partners.remote_organisation_mark,
         name="remote_organisation_mark"),
    path("partners/<int:pk>/organisations/<int:organisation>/remove/",
         partners.remote_organisation_unmark, name="remote_organisation_unmark"),
    path("packages/", packages.package_import, name="package_import"),
    path("referrals/<str:code>/package/", packages.package_send, name="package_send"),
    path("referrals/<str:code>/package/cancellation/", packages.package_cancel,
         name="package_cancel"),
    path("referrals/<str:code>/incoming/", packages.incoming, name="incoming"),
    path("referrals/<str:code>/incoming/return/", packages.incoming_return,
         name="incoming_return"),
    path("referrals/<str:code>/incoming/reply/", packages.incoming_reply,
         name="incoming_reply"),
]
