"""The statistics pages for coordinators and analysts — the one-count report, and the referral
and assistance figures: aggregates only, small cells hidden."""

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
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_safe

from nrm.assistance.choices import service_type_label
from nrm.core.countries import country_choices, country_name
from nrm.core.dates import check_period
from nrm.core.disclosure import Table
from nrm.identification.choices import VictimStatus
from nrm.identification.views.figures import breakdown_labeller
from nrm.justice.choices import (
    CompensationRoute,
    Cooperation,
    OffenderOutcome,
    OffenderRole,
    ParticipantRole,
)
from nrm.registry.views.access import viewer_of
from nrm.statistics import assistance_figures as af
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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            check_period(data.get("since"), data.get("until"))
        except ValidationError as error:
            self.add_error(None, error)
        return data


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


# --- referral and assistance figures -----------------------------------------------------------

BREAKDOWN_CHOICES = [
    ("country", gettext_lazy("Country")),
    ("organisation_kind", gettext_lazy("Organisation kind")),
    ("sex", gettext_lazy("Sex")),
    ("age_band", gettext_lazy("Age band")),
]


class AssistanceFiguresForm(OneCountForm):
    by = forms.ChoiceField(label=gettext_lazy("Breakdown"), choices=BREAKDOWN_CHOICES,
                           required=False)


def _figure_section(title: str, unit: str, table: Table, label: Callable[[str], str], *,
                    columns: dict[str, str], total_label: str) -> dict[str, Any]:
    return {
        "title": title, "unit": unit, "table": table, "total_label": total_label,
        "columns": [columns.get(column, column) for column in table.columns],
        "rows": [{"label": label(row), "cells": table.cells[i], "total": table.row_totals[i]}
                 for i, row in enumerate(table.rows)],
    }


def _cost_section(costs: af.CurrencyCosts, label: Callable[[str], str]) -> dict[str, Any]:
    persons = costs.persons

    def cell(count: int | None, cost: Any) -> dict[str, Any]:
        return {"persons": count, "cost": cost}

    return {
        "currency": costs.currency,
        "columns": [service_type_label(column) for column in persons.columns],
        "rows": [{"label": label(row),
                  "cells": [cell(persons.cells[i][j], costs.cost_per_person[i][j])
                            for j in range(len(persons.columns))],
                  "total": cell(persons.row_totals[i], costs.row_cost_per_person[i])}
                 for i, row in enumerate(persons.rows)],
        "footer": [cell(persons.column_totals[j], costs.column_cost_per_person[j])
                   for j in range(len(persons.columns))],
        "total": cell(persons.total, costs.total_cost_per_person),
    }


@login_required
@require_safe
def assistance_figures_page(request: HttpRequest) -> HttpResponse:
    """Referral and assistance figures; the selector refuses anyone who works with persons."""
    viewer = viewer_of(request)
    form = AssistanceFiguresForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    breakdown = data.get("by") or af.BREAKDOWNS[0]
    figures = af.assistance_figures(viewer=viewer, country=data.get("country") or None,
                                    since=data.get("since"), until=data.get("until"),
                                    breakdown=breakdown)
    label = breakdown_labeller(breakdown)
    # Accepted and declined in the words of the referral's own statuses.
    outcomes = {af.ACCEPTED: pgettext("referral", "Accepted"),
                af.DECLINED: pgettext("referral", "Declined"),
                af.EXPIRED: _("Expired unanswered"),
                af.CANCELLED: _("Cancelled before an answer"),
                af.AWAITING: _("Awaiting an answer")}
    services = {code: service_type_label(code) for code in figures.persons_assisted.columns}
    sections = [
        _figure_section(_("Referrals sent, and what became of them"), _("referrals"),
                        figures.referrals, label, columns=outcomes, total_label=_("Sent in all")),
        _figure_section(_("Persons assisted, by service"), _("persons"),
                        figures.persons_assisted, label, columns=services,
                        total_label=_("Any service")),
        _figure_section(_("Follow-up contacts"), _("follow-up contacts"), figures.follow_ups,
                        label, columns={af.DONE: _("Done in the period"),
                                        af.DUE: _("Due at the end of the period")},
                        total_label=_("Done or due")),
    ]
    days = figures.days_to_respond
    return render(request, "statistics/assistance_figures.html", {
        "form": form, "figures": figures, "sections": sections,
        "breakdown_label": dict(BREAKDOWN_CHOICES)[breakdown],
        "countries": [country_name(c) for c in figures.countries or ()],
        "median_rows": [{"label": label(row), "count": days.counts.row_totals[i],
                         "median": days.medians[i]} for i, row in enumerate(days.counts.rows)],
        "costs": [_cost_section(costs, label) for costs in figures.costs],
    })
