"""The one-count report page for coordinators and analysts: aggregates only, small cells hidden."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from nrm.core.countries import country_choices, country_name
from nrm.core.disclosure import Table
from nrm.identification.choices import VictimStatus
from nrm.justice.choices import (
    CompensationRoute,
    Cooperation,
    OffenderOutcome,
    OffenderRole,
    ParticipantRole,
)
from nrm.registry.views.access import viewer_of
from nrm.statistics import one_count as oc


class OneCountForm(forms.Form):
    country = forms.CharField(label=gettext_lazy("Country"), required=False, max_length=2)
    since = forms.DateField(label=gettext_lazy("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=gettext_lazy("To"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A picker of countries named in the reader's language; the value stays the ISO code.
        self.fields["country"].widget = forms.Select(
            choices=[("", _("All countries")), *country_choices()])

    def clean_country(self) -> str:
        return str(self.cleaned_data.get("country") or "").strip().upper()


def labels() -> dict[str, str]:
    """Every row and column label of the report, in the reader's language."""
    names: dict[str, str] = {
        oc.PERSONS: _("Persons"), oc.REGISTERED: _("Registered in the NRM"),
        oc.NOT_REGISTERED: _("Known to the investigation, not registered"),
        oc.LINKED: _("Linked to another criminal case"), oc.NOT_LINKED: _("Not linked"),
        oc.TRAFFICKING: _("Trafficking article"), oc.RELATED_ONLY: _("Related articles only"),
        oc.NOT_QUALIFIED: _("No qualification recorded"),
        oc.SEVERAL_ROLES: _("Several roles"), oc.NO_ROLE: _("No role recorded"),
        oc.SUSPENDED: _("Suspended sentence"), oc.NOT_RECORDED: _("Sentence not recorded"),
        oc.CLAIMED: _("Claimed, not yet awarded"), oc.AWARDED: _("Awarded, not paid"),
        oc.PAID: _("Paid"),
        "under_1_year": _("Under 1 year"), "1_to_3_years": _("1 to 3 years"),
        "3_to_5_years": _("3 to 5 years"), "5_to_10_years": _("5 to 10 years"),
        "10_years_or_more": _("10 years or more"),
    }
    for choices in (VictimStatus, ParticipantRole, Cooperation, OffenderRole, OffenderOutcome,
                    CompensationRoute):
        names.update({str(value): str(label) for value, label in choices.choices})
    return names


def _section(title: str, unit: str, table: Table, names: dict[str, str], *,
             row_names: dict[str, str] | None = None) -> dict[str, Any]:
    rows = row_names or {}
    return {
        "title": title, "unit": unit, "table": table,
        "columns": [names.get(column, column) for column in table.columns],
        "rows": [{"label": rows.get(row, names.get(row, row)), "cells": table.cells[i],
                  "total": table.row_totals[i]} for i, row in enumerate(table.rows)],
    }


@login_required
@require_safe
def one_count_page(request: HttpRequest) -> HttpResponse:
    """The one-count report; the selector refuses anyone who works with persons."""
    viewer = viewer_of(request)
    form = OneCountForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    since: dt.date | None = data.get("since")
    until: dt.date | None = data.get("until")
    report = oc.one_count(viewer=viewer, country=data.get("country") or None, since=since,
                          until=until)
    names = labels()
    identified_rows = {oc.LINKED: _("In a criminal case"),
                       oc.NOT_LINKED: _("In no criminal case")}
    sections = [
        _section(_("Persons identified in the NRM"), _("persons"), report.identified_persons,
                 names),
        _section(_("Persons identified, and whether they are in a criminal case"),
                 _("persons"), report.identified_linked, names, row_names=identified_rows),
        _section(_("Persons in criminal cases"), _("persons"),
                 report.persons_in_criminal_cases, names),
        _section(_("Victims and witnesses in criminal cases"), _("case participations"),
                 report.participations, names),
        _section(_("Criminal cases by their current qualification"), _("criminal cases"),
                 report.criminal_cases, names),
        _section(_("Offenders by role and outcome"), _("offenders"), report.offenders, names),
        _section(_("Convictions by sentence"), _("convictions"), report.convictions, names),
        _section(_("Compensation by route and how far it went"), _("compensation claims"),
                 report.compensation, names),
    ]
    return render(request, "statistics/one_count.html", {
        "form": form, "report": report, "sections": sections,
        "countries": [country_name(c) for c in report.countries or ()],
    })
