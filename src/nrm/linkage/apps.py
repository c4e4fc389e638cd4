from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    name = "nrm.linkage"
    label = "linkage"
    verbose_name = _("Linkage")
