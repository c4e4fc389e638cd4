"""Identification figures for coordinators and analysts: aggregates only, small cells hidden."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_safe

from nrm.core.countries import country_name
from nrm.core.dates import check_period
from nrm.core.disclosure import Table
from nrm.directory.models import OrganisationKind
from nrm.identification.choices import AppealOutcome, ScreeningResult, VictimStatus
from nrm.identification.figures import SEVERAL_TYPES, UNKNOWN, identification_figures
from nrm.registry.choices import AgeBand, ExploitationType, Sex
from nrm.registry.views.access import viewer_of

BREAKDOWN_CHOICES = [
    ("country", gettext_lazy("Country")), ("sex", gettext_lazy("Sex")),
    ("age_band", gettext_lazy("Age band")), ("exploitation", gettext_lazy("Type of exploitation")),
]


class FiguresForm(forms.Form):
    by = forms.ChoiceField(label=pgettext_lazy("breakdown", "By"), choices=BREAKDOWN_CHOICES,
                           required=False)
    since = forms.DateField(label=gettext_lazy("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=gettext_lazy("To"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            check_period(data.get("since"), data.get("until"))
        except ValidationError as error:
            self.add_error(None, error)
        return data


def breakdown_labeller(breakdown: str) -> Callable[[str], str]:
    """The words for a row of a figures table broken down by ``breakdown`` (country, sex, age
    band, type of exploitation, organisation kind), in the reader's language."""
    labels: dict[str, str] = {UNKNOWN: _("Unknown"), SEVERAL_TYPES: _("Several types")}
    choices: dict[str, Any] = {
        "sex": dict(Sex.choices), "age_band": dict(AgeBand.choices),
        "exploitation": dict(ExploitationType.choices),
        "organisation_kind": dict(OrganisationKind.choices),
    }.get(breakdown, {})

    def label(value: str) -> str:
        if value in labels:
            return labels[value]
        if breakdown == "country":
            return country_name(value)
        return str(choices.get(value, value))

    return label


def _rows(table: Table, label: Callable[[str], str],
          medians: tuple[float | None, ...] | None = None) -> list[dict[str, Any]]:
    return [
        {"label": label(row), "cells": table.cells[i], "total": table.row_totals[i],
         "median": medians[i] if medians is not None else None}
        for i, row in enumerate(table.rows)
    ]


@login_required
@require_safe
def figures(request: HttpRequest) -> HttpResponse:
    """Screenings, decisions, days to a first decision and appeals; refused to anyone who
    works with persons (the selector in figures.py decides who may see which countries)."""
    viewer = viewer_of(request)
    form = FiguresForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    breakdown = data.get("by") or "country"
    since: dt.date | None = data.get("since")
    until: dt.date | None = data.get("until")
    result = identification_figures(viewer=viewer, since=since, until=until)
    label = breakdown_labeller(breakdown)
    median = result.days_to_first_decision[breakdown]
    sections = [
        {"title": _("Screenings by result"), "unit": _("screenings"),
         "columns": [str(ScreeningResult(c).label) for c in ScreeningResult.values],
         "table": result.screenings_by_result[breakdown]},
        {"title": _("Status decisions"), "unit": _("decisions"),
         "columns": [str(VictimStatus(c).label) for c in VictimStatus.values],
         "table": result.decisions_by_status[breakdown]},
        {"title": _("Appeals and their outcomes"), "unit": _("appeals"),
         "columns": [str(AppealOutcome(c).label) for c in AppealOutcome.values],
         "table": result.appeals_by_outcome[breakdown]},
    ]
    for section in sections:
        table: Table = section["table"]  # type: ignore[assignment]
        section["rows"] = _rows(table, label)
    return render(request, "identification/figures.html", {
        "form": form, "sections": sections, "threshold": result.threshold,
        "breakdown_label": dict(BREAKDOWN_CHOICES)[breakdown],
        "countries": [country_name(c) for c in result.countries or ()],
        "median_rows": _rows(median.counts, label, median.medians),
        "median_total": median.counts.total, "median": median.median,
    })
