from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterchangeConfig(AppConfig):
    name = "nrm.interchange"
    label = "interchange"
    verbose_name = _("Interchange")

    def ready(self) -> None:
        from nrm.interchange.exchange import checks  # noqa: F401  (registers system checks)
