from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "nrm.assistance"
    label = "assistance"
    verbose_name = _("Assistance")
