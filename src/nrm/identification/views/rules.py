"""A country's identification rules: decision deadline, working days, holidays, recovery period."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nrm.accounts.roles import Role
from nrm.core.countries import country_choices, country_name
from nrm.identification.deadlines import rules_for
from nrm.identification.services import country_rules_set
from nrm.registry.views.access import viewer_of

WEEKDAYS = [
    (1, gettext_lazy("Monday")), (2, gettext_lazy("Tuesday")), (3, gettext_lazy("Wednesday")),
    (4, gettext_lazy("Thursday")), (5, gettext_lazy("Friday")), (6, gettext_lazy("Saturday")),
    (7, gettext_lazy("Sunday")),
]


class CountryRulesForm(forms.Form):
    decision_deadline_days = forms.IntegerField(
        label=gettext_lazy("Days to decide on reasonable grounds"), min_value=1, max_value=365)
    deadline_in_working_days = forms.BooleanField(
        label=gettext_lazy("Count working days only"), required=False)
    weekend = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Days off each week"), choices=WEEKDAYS, coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple)
    holidays = forms.CharField(
        label=gettext_lazy("Public holidays"), required=False, widget=forms.Textarea(
            attrs={"rows": 4}),
        help_text=gettext_lazy("One a line: YYYY-MM-DD for one day, MM-DD for every year."))
    recovery_period_days = forms.IntegerField(
        label=gettext_lazy("Recovery and reflection period (days)"), min_value=1,
        max_value=365, help_text=gettext_lazy("At least 30 days."))


@login_required
def country_rules(request: HttpRequest) -> HttpResponse:
    """A national coordinator sets their country's rules; a system admin any country's."""
    viewer = viewer_of(request)
    if viewer.role == Role.NATIONAL_COORDINATOR:
        country = viewer.country
    elif viewer.role == Role.SYSTEM_ADMIN:
        country = (request.GET.get("country") or viewer.country).upper()[:2]
    else:
        raise PermissionDenied(_("Only a national coordinator may set the country's rules."))
    rules = rules_for(country)
    form = CountryRulesForm(request.POST or None, initial={
        "decision_deadline_days": rules.decision_deadline_days,
        "deadline_in_working_days": rules.deadline_in_working_days,
        "weekend": rules.weekend, "holidays": "\n".join(rules.holidays),
        "recovery_period_days": rules.recovery_period_days,
    })
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            country_rules_set(
                viewer=viewer, country=country,
                decision_deadline_days=data["decision_deadline_days"],
                deadline_in_working_days=data["deadline_in_working_days"],
                weekend=data["weekend"],
                holidays=[line.strip() for line in data["holidays"].splitlines() if line.strip()],
                recovery_period_days=data["recovery_period_days"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The rules of %(country)s are saved.")
                             % {"country": country_name(country)})
            return redirect(request.get_full_path())
    return render(request, "identification/rules.html", {
        "form": form, "country": country, "country_label": country_name(country),
        "countries": country_choices() if viewer.role == Role.SYSTEM_ADMIN else None,
    })
