"""The forms of the linkage screens: filtering candidate pairs, starting a duplicate search,
deciding on a pair, uploading a spreadsheet to check and mapping its columns."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nrm.directory.models import Organisation
from nrm.linkage.models import Verdict

ANY = ""


class PairFilterForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Decision"), required=False,
        choices=[(Verdict.PENDING.value, Verdict.PENDING.label),
                 (Verdict.SAME.value, Verdict.SAME.label),
                 (Verdict.DIFFERENT.value, Verdict.DIFFERENT.label), (ANY, _("Any"))])
    min_probability = forms.IntegerField(
        label=_("Match probability at least (%)"), required=False, min_value=0, max_value=100)
    organisation = forms.ModelChoiceField(label=_("Organisation"), required=False,
                                          queryset=Organisation.objects.none(),
                                          empty_label=_("Any organisation"))
    across = forms.BooleanField(label=_("Only between two organisations"), required=False)

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is None:
            # A supervisor reviews one organisation's persons: nothing to choose between.
            del self.fields["organisation"]
            del self.fields["across"]
        else:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        """The filters understood, as pairs_for_viewer takes them; pending pairs by default."""
        # The filters understood apply even when another one shows an error beside it.
        data = self.cleaned_data if self.is_valid() else getattr(self, "cleaned_data", {})
        # Pending until a decision filter is chosen ("page=2" alone chooses none).
        verdict = data.get("verdict", "") if "verdict" in self.data else Verdict.PENDING
        lowest = data.get("min_probability")
        organisation = data.get("organisation")
        return {
            "verdict": verdict or None,
            "min_probability": lowest / 100 if lowest is not None else None,
            "organisation_id": organisation.pk if organisation is not None else None,
            "across_organisations": bool(data.get("across")),
        }


class RunStartForm(forms.Form):
    incremental = forms.BooleanField(required=False, widget=forms.HiddenInput)


class DecisionForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Decision"), widget=forms.RadioSelect,
        choices=[(Verdict.SAME.value, Verdict.SAME.label),
                 (Verdict.DIFFERENT.value, Verdict.DIFFERENT.label)])


class SpreadsheetUploadForm(forms.Form):
    file = forms.FileField(
        label=_("List of persons (.csv or .xlsx)"),
        help_text=_("The first row holds the column names; one row per person, each with its "
                    "own id (a row number will do). CSV files are read as UTF-8."))


# Column names that usually hold each field, to preselect the mapping; the user confirms it.
COLUMN_GUESSES: dict[str, tuple[str, ...]] = {
    "id": ("id", "record_id", "row", "no", "nr", "number", "№", "код", "номер"),
    "given": ("given", "given_name", "first_name", "firstname", "имя", "аты"),
    "patronymic": ("patronymic", "father", "fathers_name", "middle_name", "отчество"),
    "family": ("family", "family_name", "surname", "last_name", "lastname", "фамилия",
               "тегі", "фамилиясы"),
    "name": ("name", "full_name", "fullname", "фио", "ф.и.о.", "аты-жөні"),
    "other": ("other", "other_names", "latin_name", "alias", "aliases", "passport_name"),
    "birth": ("birth", "birth_date", "date_of_birth", "dob", "born", "дата_рождения",
              "дата рождения", "туған күні"),
    "sex": ("sex", "gender", "пол", "жынысы"),
    "citizenship": ("citizenship", "nationality", "country", "гражданство", "азаматтығы"),
}
SPREADSHEET_FIELD_LABELS = {
    "id": _("Row identifier"), "given": _("Given name"), "patronymic": _("Patronymic"),
    "family": _("Family name"), "name": _("Full name in one column"),
    "other": _("Other names (Latin name as on a passport, aliases)"),
    "birth": _("Birth date (YYYY, YYYY-MM or YYYY-MM-DD)"), "sex": _("Sex"),
    "citizenship": _("Citizenship (ISO country code)"),
}


def guess_column(field: str, columns: list[str]) -> str:
    """The column whose header names ``field`` most plainly, or ""."""
    names = {column.strip().lower().replace("-", "_"): column for column in columns}
    return next((names[guess] for guess in COLUMN_GUESSES[field] if guess in names), "")


class SpreadsheetMappingForm(forms.Form):
    """Which column of the uploaded file holds which field (a field may be left out)."""

    against_registry = forms.BooleanField(
        label=_("Also match against the registry persons whose identity I see"), required=False)

    def __init__(self, *args: Any, columns: list[str], against_registry: bool,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in the file —")), *((column, column) for column in columns)]
        mapped = {}
        for field, label in SPREADSHEET_FIELD_LABELS.items():
            mapped[field] = forms.ChoiceField(label=label, choices=choices, required=False,
                                              initial=guess_column(field, columns))
        self.fields = {**mapped, **({"against_registry": self.fields["against_registry"]}
                                    if against_registry else {})}

    def mapping(self) -> dict[str, str]:
        return {field: self.cleaned_data.get(field, "") for field in SPREADSHEET_FIELD_LABELS}
