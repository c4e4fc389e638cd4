"""`nrm demo` screens, refers and decides the demo's Kyrgyz and Kazakh cases through the
identification services, so that an analyst's figures show something; a second run adds
nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from nrm.accounts.models import Membership
from nrm.accounts.viewer import Viewer
from nrm.identification.choices import AppealOutcome, VictimStatus
from nrm.identification.figures import identification_figures
from nrm.identification.models import Appeal, DecisionRequest, Screening, StatusDecision

pytestmark = pytest.mark.django_db


def demo(persons: int = 150) -> str:
    out = io.StringIO()
    call_command("demo", persons=persons, stdout=out)
    return out.getvalue()


def viewer_of(username: str) -> Viewer:
    membership = Membership.objects.select_related("user", "organisation").get(
        user__username=username)
    return Viewer(user=membership.user, membership=membership)


def counts() -> tuple[int, ...]:
    return (Screening.objects.count(), DecisionRequest.objects.count(),
            StatusDecision.objects.count(), Appeal.objects.count())


def test_the_analyst_sees_figures_of_the_demo_and_a_second_run_adds_nothing():
    output = demo()
    loaded = counts()
    demo()

    assert counts() == loaded
    assert "Identification demo" in output
    figures = identification_figures(viewer=viewer_of("analyst.kg"))
    by_country = figures.screenings_by_result["country"]
    assert set(by_country.rows) >= {"KG", "KZ"}
    shown = [cell for row in by_country.cells for cell in row if cell]
    assert shown, "every cell of the demo's figures is suppressed"
    decisions = figures.decisions_by_status["country"]
    assert any(cell for row in decisions.cells for cell in row)


def test_the_demo_decides_in_both_countries_and_overturns_one_appeal():
    demo()
    for country in ("KG", "KZ"):
        decided = StatusDecision.objects.filter(competent_authority__country=country)
        assert decided.filter(status=VictimStatus.PRESUMED).count() >= 5
    assert Appeal.objects.filter(outcome=AppealOutcome.OVERTURNED).exists()
    assert Appeal.objects.filter(outcome=AppealOutcome.UPHELD).exists()
    overturned = Appeal.objects.filter(outcome=AppealOutcome.OVERTURNED).first()
    assert overturned is not None and overturned.new_decision is not None
    assert overturned.new_decision.replaces_id == overturned.decision_id
