"""A chain like those the region reports, counted once for everyone.

Seventeen young people (synthetic) from Kyrgyzstan were recruited at home with promises of work
and exploited in Almaty, at a car service and a café. The police raid them; an NGO in Almaty
(Sana) registers the ten it meets there, an NGO in Bishkek (Safe Home) the seven who came home
first; each person agrees that law enforcement may contact them. A commission in each country
recognises them as presumed victims. Thirteen cooperate with the investigation. The exploiters
are tried and convicted in Kazakhstan, the recruiters in Kyrgyzstan, in two criminal cases that
the investigators link. Two victims claim compensation. The NGOs assist and organise the return.
The analyst's one-count report, for every country, shows 17 persons — not 24 participations,
nor two "cases" — and the offenders by role and their convictions.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from nrm.accounts.roles import Role
from nrm.accounts.viewer import Viewer
from nrm.directory.models import Organisation, OrganisationKind
from nrm.identification.choices import VictimStatus
from nrm.identification.services import decision_request, status_decide
from nrm.justice.choices import Cooperation, OffenderOutcome, OffenderRole, ParticipantRole
from nrm.justice.models import CriminalCase, CriminalCodeArticle
from nrm.registry.inputs import CaseInput, ConsentInput, IdentityInput, PersonInput
from nrm.registry.models import Case
from nrm.registry.services import person_register
from nrm.statistics.one_count import (
    AWARDED,
    LINKED,
    NOT_REGISTERED,
    PAID,
    PERSONS,
    REGISTERED,
    SUSPENDED,
    TRAFFICKING,
    one_count,
)
from tests.conftest import _member
from tests.statistics.chain import Chain, build_chain

# Given and family names of the seventeen, all invented.
NAMES = [
    ("Азамат", "Осмонов"), ("Бекзат", "Токтосунов"), ("Данияр", "Жумабеков"),
    ("Эрлан", "Касымов"), ("Нурбек", "Алиев"), ("Мирлан", "Садыков"), ("Улан", "Бакиров"),
    ("Тилек", "Маматов"), ("Руслан", "Абдыкеров"), ("Самат", "Исаков"), ("Айбек", "Турдубаев"),
    ("Канат", "Шаршеев"), ("Чынгыз", "Эсенов"), ("Жыргал", "Кадыров"), ("Нурлан", "Омуров"),
    ("Алмаз", "Сыдыков"), ("Бакыт", "Мурзаев"),
]
IN_ALMATY = 10  # registered by Sana in Almaty; the others by Safe Home in Bishkek
COOPERATING = 13


def _victim(viewer: Viewer, index: int) -> Case:
    given, family = NAMES[index]
    industry = ("G_WholesaleAndRetailTradeRepairOfMotorVehicles" if index % 2
                else "I_AccommodationAndFoodServiceActivities")
    return person_register(
        viewer=viewer,
        person=PersonInput(sex="Masculine", birth_year=1998 + index % 6, citizenships=["KG"],
                           languages=["ky", "ru"]),
        identity=IdentityInput(given_name=given, family_name=family,
                               birth_date=f"{1998 + index % 6}-0{1 + index % 9}-1{index % 9}"),
        case=CaseInput(entry_point="police", exploitation_types=["ForcedLabour"],
                       labour_industry=industry),
        consents=[ConsentInput(purpose="law_enforcement", given=True, method="written")],
    )


@pytest.fixture
def kz_commission_member(db) -> Viewer:
    commission = Organisation.objects.create(
        name="Interdepartmental Commission, Kazakhstan", kind=OrganisationKind.SOCIAL_PROTECTION,
        country="KZ", is_competent_authority=True)
    return _member("zhanna", commission, Role.DECISION_MAKER)


@pytest.fixture
def victims(foreign_case_worker, case_worker, kz_commission_member, decision_maker) -> list[Case]:
    """The seventeen, registered by the two NGOs and recognised as presumed victims."""
    registered = []
    kz_authority = kz_commission_member.membership.organisation
    kg_authority = decision_maker.membership.organisation
    for index in range(len(NAMES)):
        almaty = index < IN_ALMATY
        ngo_worker = foreign_case_worker if almaty else case_worker
        case = _victim(ngo_worker, index)
        decision_request(viewer=ngo_worker, case=case,
                         competent_authority=kz_authority if almaty else kg_authority)
        status_decide(viewer=kz_commission_member if almaty else decision_maker, case=case,
                      status=VictimStatus.PRESUMED, decided_on=dt.date.today(),
                      reasons="Recruited by deception, documents taken, unpaid work.",
                      legal_basis="National Referral Mechanism rules, section 12")
        registered.append(case)
    return registered


@pytest.fixture
def chain(victims, investigator, prosecutor, kg_investigator,
          articles: dict[str, CriminalCodeArticle]) -> Chain:
    """The seventeen taking part in the two criminal cases."""
    return build_chain(victims=victims, cooperating=COOPERATING, investigator=investigator,
                       prosecutor=prosecutor, kg_investigator=kg_investigator,
                       articles=articles)


def test_the_one_count_shows_seventeen_persons_two_linked_cases_offenders_and_convictions(
    chain: Chain, analyst,
):
    report = one_count(viewer=analyst, country=None, since=None, until=None, threshold=1)

    assert report.countries is None
    # Seventeen persons, each counted once: identified in the NRM and in the criminal cases.
    assert report.identified_persons.total == 17
    assert report.identified_linked.value(LINKED, PERSONS) == 17
    assert report.persons_in_criminal_cases.value(REGISTERED, PERSONS) == 17
    assert report.persons_in_criminal_cases.value(NOT_REGISTERED, PERSONS) == 0
    # The seven who came home take part in both cases: 24 participations, 17 persons.
    assert report.participations.total == 17 + 7
    assert report.participations.unit == "case participations"
    victims_row = report.participations.rows.index(ParticipantRole.VICTIM)
    cooperating = report.participations.columns.index(Cooperation.COOPERATING)
    assert report.participations.cells[victims_row][cooperating] == COOPERATING
    # Two criminal cases, both under the trafficking article (the Kazakh one re-qualified),
    # linked to one another.
    assert report.criminal_cases.unit == "criminal cases"
    assert report.criminal_cases.total == 2
    assert report.criminal_cases.value(TRAFFICKING, LINKED) == 2
    # Offenders by role and their outcomes.
    assert report.offenders.unit == "offenders"
    assert report.offenders.value(OffenderRole.EXPLOITER, OffenderOutcome.CONVICTED) == 2
    assert report.offenders.value(OffenderRole.RECEIVER, OffenderOutcome.CONVICTED) == 1
    assert report.offenders.value(OffenderRole.RECRUITER, OffenderOutcome.CONVICTED) == 2
    assert report.offenders.value(OffenderRole.ORGANISER, OffenderOutcome.AT_LARGE) == 1
    assert report.offenders.total == 6
    # Five convictions, two of them suspended, all under the trafficking article.
    assert report.convictions.unit == "convictions"
    assert report.convictions.total == 5
    assert report.convictions.value(SUSPENDED, TRAFFICKING) == 2
    assert report.convictions.value("5_to_10_years", TRAFFICKING) == 2
    # Compensation: one award paid, one awaiting payment.
    assert report.compensation.unit == "compensation claims"
    assert report.compensation.total == 2
    assert report.compensation.column_totals == (0, 1, 1)
    assert report.compensation.columns[1:] == (AWARDED, PAID)
    (tenge,) = report.compensation_sums
    assert tenge.currency == "KZT"
    assert (tenge.claims, tenge.claimed, tenge.awarded, tenge.paid) == (
        2, Decimal("7000000.00"), Decimal("3000000.00"), Decimal("1500000.00"))


def test_at_the_published_threshold_small_cells_are_hidden_and_the_seventeen_stay(
    chain: Chain, analyst,
):
    report = one_count(viewer=analyst, country=None, since=None, until=None)

    assert report.threshold == 5
    assert report.persons_in_criminal_cases.value(REGISTERED, PERSONS) == 17
    assert report.identified_persons.total == 17
    assert report.criminal_cases.total is None
    # Six offenders may be said, but not how many of them had which role.
    assert report.offenders.total == 6
    assert report.offenders.value(OffenderRole.EXPLOITER, OffenderOutcome.CONVICTED) is None
    assert report.compensation_sums[0].claims is None
    assert report.compensation_sums[0].awarded is None


def test_a_coordinator_counts_their_own_country(chain: Chain, coordinator):
    report = one_count(viewer=coordinator, country=None, since=None, until=None, threshold=1)

    assert report.countries == ("KG",)
    # Kyrgyzstan's case: the recruiters, and the seven who came home.
    assert report.criminal_cases.total == 1
    assert report.persons_in_criminal_cases.value(REGISTERED, PERSONS) == 7
    assert report.identified_persons.total == 7
    assert report.convictions.total == 2


def test_a_period_before_the_cases_counts_none_of_them(chain: Chain, analyst):
    report = one_count(viewer=analyst, country="KZ", since=dt.date(2020, 1, 1),
                       until=dt.date(2020, 12, 31), threshold=1)

    assert report.criminal_cases.total == 0
    assert report.persons_in_criminal_cases.total == 0
    assert report.convictions.total == 0


def test_the_chain_is_what_the_story_says(chain: Chain):
    assert CriminalCase.objects.count() == 2
    assert chain.kz_case.participants.count() == 17
    assert chain.kg_case.participants.count() == 7
