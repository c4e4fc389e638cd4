"""Identification figures: a coordinator sees their country, an analyst every country, both only
aggregates, and no cell under the threshold shows, not even through a total."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from nrm.directory.models import Organisation, OrganisationKind
from nrm.identification.choices import AppealOutcome, ScreeningResult, VictimStatus
from nrm.identification.figures import age_band_at, exploitation_of, identification_figures
from nrm.identification.models import Appeal, IndicatorCatalogue, Screening, StatusDecision
from tests.conftest import _member, register

# Records are written straight to the tables here: the figures read what services wrote, and
# twenty screenings through the interview would only slow the suite.


@pytest.fixture
def plain_catalogue(db) -> IndicatorCatalogue:
    return IndicatorCatalogue.objects.create(version="fig-1", title="Figures",
                                             published_on=dt.date(2026, 1, 1))


def screen(viewer, catalogue, result: str, *, sex: str = "Feminine", birth: str = "1995-03-14",
           types: tuple[str, ...] = ("ForcedLabour",)) -> Screening:
    case = register(viewer, birth_date=birth)
    case.exploitation_types = list(types)
    case.save(update_fields=["exploitation_types"])
    person = case.person
    person.sex = sex
    person.save(update_fields=["sex"])
    return Screening.objects.create(case=case, catalogue=catalogue,
                                    organisation_id=viewer.organisation_id,
                                    screener=viewer.user, status="completed",
                                    computed_result=result, judgement=result)


def decide(screening: Screening, authority, maker, status: str, days: int) -> StatusDecision:
    case = screening.case
    return StatusDecision.objects.create(
        case=case, competent_authority=authority, decided_by=maker.user, status=status,
        decided_on=case.opened_on + dt.timedelta(days=days), reasons="synthetic",
        legal_basis="Law on combating trafficking, art. 12")


def test_age_band_is_counted_at_the_time_of_the_case():
    assert age_band_at(birth_year=2009, year=2026) == "9--17"
    assert age_band_at(birth_year=2008, year=2026) == "18--20"
    assert age_band_at(birth_year=1970, year=2026) == "48+"
    assert age_band_at(birth_year=None, year=2026, age_band="30--38") == "30--38"
    assert age_band_at(birth_year=None, year=2026) == "Unknown"


def test_a_case_with_several_types_counts_once_as_multiple():
    assert exploitation_of(["ForcedLabour"]) == "ForcedLabour"
    assert exploitation_of(["SexualExploitation", "ForcedLabour"]) == "Multiple"
    assert exploitation_of([]) == "Unknown"


def test_case_workers_get_no_figures(case_worker, outsider, supervisor):
    for viewer in (case_worker, outsider, supervisor):
        with pytest.raises(PermissionDenied):
            identification_figures(viewer=viewer)


def test_a_cell_of_three_is_hidden_and_the_total_does_not_reveal_it(
        case_worker, coordinator, plain_catalogue):
    # Safe Home: 3 screenings of men (a small cell), 12 of women; all with reasonable grounds.
    for _ in range(3):
        screen(case_worker, plain_catalogue, ScreeningResult.REASONABLE_GROUNDS, sex="Masculine")
    for _ in range(12):
        screen(case_worker, plain_catalogue, ScreeningResult.REASONABLE_GROUNDS)
    for _ in range(6):
        screen(case_worker, plain_catalogue, ScreeningResult.INSUFFICIENT)
    by_sex = identification_figures(viewer=coordinator).screenings_by_result["sex"]
    assert by_sex.unit == "screenings"
    assert by_sex.value("Masculine", ScreeningResult.REASONABLE_GROUNDS) is None
    # Men: 3 reasonable grounds, 0 insufficient: the row total would say 3, so it is hidden.
    assert by_sex.row_totals[by_sex.rows.index("Masculine")] is None
    # Reasonable grounds column: 15 in all, 12 of women; so the women's cell is hidden too.
    assert by_sex.value("Feminine", ScreeningResult.REASONABLE_GROUNDS) is None
    assert by_sex.value("Feminine", ScreeningResult.INSUFFICIENT) == 6
    shown = [value for row in by_sex.cells for value in row if value is not None]
    assert all(value == 0 or value >= 5 for value in shown)


def test_figures_by_country_of_the_case_and_the_deciding_authority(
        case_worker, coordinator, analyst, plain_catalogue, foreign_case_worker):
    commission = Organisation.objects.create(
        name="Commission", kind=OrganisationKind.SOCIAL_PROTECTION, country="KG",
        is_competent_authority=True)
    maker = _member("ermek_fig", commission, 500)
    kz_commission = Organisation.objects.create(
        name="KZ Commission", kind=OrganisationKind.SOCIAL_PROTECTION, country="KZ",
        is_competent_authority=True)
    kz_maker = _member("aliya_fig", kz_commission, 500)
    for index in range(6):
        screening = screen(case_worker, plain_catalogue, ScreeningResult.REASONABLE_GROUNDS)
        decision = decide(screening, commission, maker, VictimStatus.NOT_A_VICTIM, 10 + index)
        Appeal.objects.create(decision=decision, lodged_on=decision.decided_on, body="Court",
                              grounds="synthetic", recorded_by=case_worker.user,
                              organisation_id=case_worker.organisation_id,
                              outcome=AppealOutcome.UPHELD)
    for _ in range(5):
        screening = screen(foreign_case_worker, plain_catalogue,
                           ScreeningResult.REASONABLE_GROUNDS)
        decide(screening, kz_commission, kz_maker, VictimStatus.PRESUMED, 4)

    national = identification_figures(viewer=coordinator)
    assert national.countries == ("KG",)
    assert national.decisions_by_status["country"].rows == ("KG",)
    assert national.decisions_by_status["country"].value("KG", VictimStatus.NOT_A_VICTIM) == 6
    assert national.decisions_by_status["country"].unit == "decisions"
    days = national.days_to_first_decision["country"]
    assert days.counts.unit == "persons"
    assert days.medians == (12.5,)
    appeals = national.appeals_by_outcome["exploitation"]
    assert appeals.value("ForcedLabour", AppealOutcome.UPHELD) == 6

    everywhere = identification_figures(viewer=analyst)
    assert everywhere.countries is None
    by_country = everywhere.decisions_by_status["country"]
    assert by_country.rows == ("KG", "KZ")
    assert by_country.value("KZ", VictimStatus.PRESUMED) == 5
    assert everywhere.days_to_first_decision["country"].median == 10.0
    assert everywhere.screenings_by_result["age_band"].rows == ("30--38",)


def test_a_median_of_a_small_group_is_not_shown(case_worker, coordinator, plain_catalogue):
    commission = Organisation.objects.create(
        name="Commission", kind=OrganisationKind.SOCIAL_PROTECTION, country="KG",
        is_competent_authority=True)
    maker = _member("ermek_med", commission, 500)
    for _ in range(2):
        decide(screen(case_worker, plain_catalogue, ScreeningResult.REASONABLE_GROUNDS),
               commission, maker, VictimStatus.PRESUMED, 3)
    days = identification_figures(viewer=coordinator).days_to_first_decision["sex"]
    assert days.medians == (None,)
    assert days.median is None
