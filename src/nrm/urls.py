from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from nrm.accounts.views.home import home
from nrm.api import api

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("nrm.accounts.urls")),
    path("directory/", include("nrm.directory.urls")),
    path("registry/", include("nrm.registry.urls")),
    path("identification/", include("nrm.identification.urls")),
    path("statistics/", include("nrm.statistics.urls")),
    path("justice/", include("nrm.justice.urls")),
    path("referrals/", include("nrm.referrals.urls")),
    path("assistance/", include("nrm.assistance.urls")),
    path("linkage/", include("nrm.linkage.urls")),
    path("interchange/", include("nrm.interchange.urls")),
    path("jobs/", include("nrm.core.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

# Oversized or malformed requests to any view get a translated page (413 or 400), not a bare 400.
handler400 = "nrm.core.views.bad_request"
