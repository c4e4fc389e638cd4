"""Forms of the "Import and export" page: which cases to export and how, and a file to import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from nrm.interchange.selectors import ExportFilters
from nrm.interchange.services import too_large
from nrm.registry.choices import CaseStatus, ConsentMethod

FORMATS = [("csv", _("CSV (UTF-8, opens in Excel)")), ("xlsx", _("Excel workbook (.xlsx)"))]
DELIMITERS = {"comma": ",", "semicolon": ";"}
DELIMITER_CHOICES = [
    ("comma", _("comma (,)")),
    ("semicolon", _("semicolon (;), for Excel set to Russian or another language that uses it")),
]


class ExportForm(forms.Form):
    file_format = forms.ChoiceField(label=_("Format"), choices=FORMATS, initial="xlsx",
                                    widget=forms.RadioSelect)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status")), *CaseStatus.choices])
    opened_from = forms.DateField(label=_("Opened from"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    opened_to = forms.DateField(label=_("Opened until"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    mine = forms.BooleanField(label=_("Only my cases"), required=False)
    identity = forms.BooleanField(
        label=_("Include names, birth dates and contacts"), required=False,
        help_text=_("Leave this off when the file leaves your organisation (for IOM or a "
                    "donor, for example): the cases are then exported without identity."))
    delimiter = forms.ChoiceField(label=_("CSV separator"), choices=DELIMITER_CHOICES,
                                  initial="comma", required=False)

    def __init__(self, *args: Any, may_include_identity: bool = True,
                 works_cases: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_include_identity:
            del self.fields["identity"]
        if not works_cases:
            del self.fields["mine"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("opened_from"), data.get("opened_to")
        if start and end and start > end:
            self.add_error("opened_to", _("The end of the period cannot come before its start."))
        return data

    def filters(self) -> ExportFilters:
        data = self.cleaned_data
        return ExportFilters(status=data.get("status") or "", opened_from=data.get("opened_from"),
                             opened_to=data.get("opened_to"), mine=bool(data.get("mine")),
                             identity=bool(data.get("identity")))

    def delimiter_character(self) -> str:
        return DELIMITERS.get(self.cleaned_data.get("delimiter") or "comma", ",")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("HTCDS spreadsheet (.xlsx or .csv)"),
        help_text=_("Row 1 holds the HTCDS field names, as in IOM's Excel toolkit or an export "
                    "from nrm; one row per case."))
    consent_method = forms.ChoiceField(
        label=_("How the consents in the file (con_Consent) were given"), required=False,
        choices=[("", _("The file records no consent")), *ConsentMethod.choices],
        help_text=_("The file does not say; nrm records it with each consent."))

    def clean_file(self) -> Any:
        uploaded = self.cleaned_data["file"]
        if uploaded.size > settings.NRM_IMPORT_MAX_BYTES:
            raise ValidationError(too_large(uploaded.size))
        return uploaded
