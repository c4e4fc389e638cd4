"""The one taxonomy of services, shared by the directory (what an organisation offers) and by
assistance (what was given). Codes are stable identifiers; labels are translated."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SERVICE_TYPES: dict[str, object] = {
    "shelter": _("Shelter"),
    "medical": _("Medical care"),
    "psychological": _("Psychological support"),
    "psycho_social": _("Psycho-social support"),
    "legal_counselling": _("Legal counselling"),
    "legal_representation": _("Legal representation"),
    "interpretation": _("Interpretation"),
    "education": _("Education"),
    "vocational_training": _("Vocational training"),
    "employment_assistance": _("Employment assistance"),
    "economic_support": _("Economic support"),
    "in_kind_grant": _("In-kind grant"),
    "family_tracing": _("Family tracing and reunification"),
    "document_recovery": _("Document recovery"),
    "return_repatriation": _("Return and repatriation"),
    "guardianship": _("Guardianship for children"),
    "hotline_information": _("Hotline and information"),
    "outreach": _("Outreach"),
}
