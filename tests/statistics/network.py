"""The referral and assistance network of the figures' tests, built through the services, with
answers known in advance (all persons synthetic).

Safe Home Bishkek (an NGO) registers eight persons, every case opened on 1 June 2024; Tendesh
Osh registers Айгуль a second time (AIGUL), and the national coordinator decides the two records
are one person. In the first half of 2025 Safe Home refers them to the Ak-Jol shelter and to a
health centre; Sana Almaty refers one person of its own to a shelter in Astana. The services,
their costs in three currencies and the follow-up contacts are recorded by the organisations
that gave or made them. Times are set afterwards where only "now" could be recorded: when a
referral was sent and answered, and when a follow-up contact was planned.

Period of the figures: 1 January to 30 June 2025.

Referrals sent in the period (the answer n days after sending):

| referral | from → to | person | what became of it |
|---|---|---|---|
| R1 | Safe Home → Ak-Jol | P1 Айгуль (F, 1992) | accepted, 1 day |
| R2 | Safe Home → Ak-Jol | P2 (F, 1992) | accepted, 2 days |
| R3 | Safe Home → Ak-Jol | P3 (F, 1975) | accepted, 3 days |
| R4 | Safe Home → Ak-Jol | P4 (M, 1975) | declined, 4 days |
| R5 | Safe Home → Ak-Jol | P5 (M, 1992) | accepted, 5 days, then in progress |
| R6 | Safe Home → Ak-Jol | P6 (F, 1992) | expired unanswered |
| R7 | Safe Home → health centre | P7 (F, 1992) | accepted, half a day |
| R8 | Safe Home → health centre | P8 (M, 1992) | awaiting an answer |
| R9 | Safe Home → health centre | P2 | cancelled before an answer |
| RK | Sana → Komek (KZ) | K1 (F, 1992) | awaiting an answer |

and, sent on 20 December 2024 (outside the period), P4 to the health centre, accepted in 10 days.

Services received (cost; in the period or not):

| person | service, provider | dates | cost | |
|---|---|---|---|---|
| P1 | shelter, Ak-Jol | 5 Feb – 5 Mar 2025 | 2000 KGS | |
| AIGUL (= P1) | shelter, Tendesh | 1 – 10 Apr 2025 | 1000 KGS | recorded by Tendesh |
| P2 | shelter, Ak-Jol | 10 Feb – 10 Mar 2025 | 3000 KGS | |
| P3 | shelter, Ak-Jol | from 20 Jan 2025, going on | 1500 KGS | |
| P2 | medical, health centre | 1 – 2 Mar 2025 | 100 USD | |
| P4 | medical, health centre | 5 Mar 2025 | 300 USD | |
| P5 | medical, health centre | 1 Nov 2024 – 15 Jan 2025 | 999 KGS | cost before the period |
| P6 | psychological, Safe Home | 1 Oct – 31 Dec 2024 | | before the period |
| P7 | psychological, Safe Home | 1 Apr 2025 | | declined by the person |
| P8 | shelter, Ak-Jol | from 5 Jul 2025 | | after the period |
| K1 | shelter, Sana | from 1 Mar 2025, going on | 50000 KZT | Kazakhstan |

Follow-up contacts (Safe Home): P1 done 10 Mar 2025; P2 planned 15 Jun 2025, done 1 Aug 2025;
P3 planned 1 May 2025, never done; P4 planned 15 Jul 2025, not done; P5 done 1 Dec 2024.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from nrm.accounts.viewer import Viewer
from nrm.assistance.choices import ServiceOutcome, WellBeing
from nrm.assistance.inputs import ContactInput, FollowUpPlanInput, ServiceInput
from nrm.assistance.models import FollowUp, ServiceRecord
from nrm.assistance.services import follow_up_contact, follow_up_schedule, service_record
from nrm.directory.models import Organisation
from nrm.linkage.models import Verdict
from nrm.linkage.services import pair_decide
from nrm.referrals.models import Referral
from nrm.referrals.services import (
    referral_accept,
    referral_cancel,
    referral_decline,
    referral_send,
    referral_start,
    referrals_expire,
)
from nrm.registry.inputs import CaseInput, ConsentInput, IdentityInput, PersonInput
from nrm.registry.models import Case
from nrm.registry.services import consent_record, person_register
from tests.linkage.conftest import finished_run, found, pair_of

SINCE = dt.date(2025, 1, 1)
UNTIL = dt.date(2025, 6, 30)
OPENED_ON = dt.date(2024, 6, 1)
# Noon in Bishkek and Almaty (UTC+5 or +6): the same calendar day wherever it is read.
SENT_AT = dt.datetime(2025, 2, 3, 6, 0, tzinfo=dt.UTC)

# Given name, family name, sex, birth year: P1 … P8 of Safe Home.
PERSONS = [
    ("Айгуль", "Мамытова", "Feminine", 1992), ("Жылдыз", "Асанова", "Feminine", 1992),
    ("Гульмира", "Токтогулова", "Feminine", 1975), ("Бакыт", "Усенов", "Masculine", 1975),
    ("Эрмек", "Жээнбеков", "Masculine", 1992), ("Нургуль", "Алиева", "Feminine", 1992),
    ("Динара", "Осмонова", "Feminine", 1992), ("Азамат", "Бекназаров", "Masculine", 1992),
]


@dataclass(frozen=True)
class Network:
    persons: list[Case]  # P1 … P8
    aigul_at_tendesh: Case
    kz_person: Case
    referrals: dict[str, Referral]


@dataclass(frozen=True)
class Members:
    """Who acts in the network."""

    safe_home_worker: Viewer
    tendesh_worker: Viewer
    ak_jol_worker: Viewer
    health_worker: Viewer
    sana_worker: Viewer
    komek_worker: Viewer
    coordinator: Viewer


def person(viewer: Viewer, given: str, family: str, sex: str, birth_year: int) -> Case:
    return person_register(
        viewer=viewer,
        person=PersonInput(sex=sex, birth_year=birth_year, citizenships=["KG"],
                           languages=["ky", "ru"]),
        identity=IdentityInput(given_name=given, family_name=family,
                               birth_date=f"{birth_year}-05-01"),
        case=CaseInput(entry_point="hotline", opened_on=OPENED_ON,
                       exploitation_types=["ForcedLabour"]),
        consents=[ConsentInput(purpose="follow_up", given=True, method="written")],
    )


def _refer(viewer: Viewer, case: Case, receiver: Organisation, service: str) -> Referral:
    consent_record(viewer=viewer, person=case.person, consent=ConsentInput(
        purpose="share_organisation", given=True, method="written", recipient_id=receiver.pk))
    return referral_send(viewer=viewer, case=case, receiver=receiver, services=[service],
                         urgency="routine", shared_fields=["sex", "age_band"])


def _answered(referral: Referral, *, sent_at: dt.datetime, days: float | None) -> None:
    responded_at = sent_at + dt.timedelta(days=days) if days is not None else None
    Referral.objects.filter(pk=referral.pk).update(sent_at=sent_at, responded_at=responded_at)


def _send_referrals(members: Members, persons: list[Case], kz_person: Case) -> dict[str, Referral]:
    worker = members.safe_home_worker
    ak_jol = members.ak_jol_worker.membership.organisation
    health = members.health_worker.membership.organisation
    komek = members.komek_worker.membership.organisation
    referrals = {f"R{n}": _refer(worker, persons[n - 1], ak_jol, "shelter") for n in range(1, 7)}
    referrals["R7"] = _refer(worker, persons[6], health, "medical")
    referrals["R8"] = _refer(worker, persons[7], health, "medical")
    referrals["R9"] = _refer(worker, persons[1], health, "medical")
    referrals["earlier"] = _refer(worker, persons[3], health, "medical")
    referrals["RK"] = _refer(members.sana_worker, kz_person, komek, "shelter")

    for name in ("R1", "R2", "R3", "R5"):
        referral_accept(viewer=members.ak_jol_worker, referral=referrals[name])
    referral_start(viewer=members.ak_jol_worker, referral=referrals["R5"])
    referral_decline(viewer=members.ak_jol_worker, referral=referrals["R4"],
                     reason="No place for a man in a women's shelter.")
    referral_accept(viewer=members.health_worker, referral=referrals["R7"])
    referral_accept(viewer=members.health_worker, referral=referrals["earlier"])
    referral_cancel(viewer=worker, referral=referrals["R9"], reason="She found a doctor nearer.")
    Referral.objects.filter(pk=referrals["R6"].pk).update(
        expires_at=timezone.now() - dt.timedelta(hours=1))
    referrals_expire()

    days = {"R1": 1, "R2": 2, "R3": 3, "R4": 4, "R5": 5, "R6": None, "R7": 0.5, "R8": None,
            "R9": None, "RK": None}
    for index, (name, answer) in enumerate(days.items()):
        _answered(referrals[name], sent_at=SENT_AT + dt.timedelta(days=index), days=answer)
    _answered(referrals["earlier"], sent_at=dt.datetime(2024, 12, 20, 6, tzinfo=dt.UTC), days=10)
    return {name: Referral.objects.get(pk=referral.pk) for name, referral in referrals.items()}


def _service(viewer: Viewer, case: Case, service_type: str, provider: Organisation,
             started_on: dt.date, ended_on: dt.date | None = None, *,
             cost: str | None = None, currency: str = "", nights: int | None = None,
             outcome: str | None = None) -> ServiceRecord:
    if outcome is None:
        outcome = ServiceOutcome.PROVIDED if ended_on else ServiceOutcome.IN_PROGRESS
    return service_record(viewer=viewer, case=case, service=ServiceInput(
        service_type=service_type, provider_id=provider.pk, started_on=started_on,
        ended_on=ended_on, cost=cost, currency=currency, nights=nights, outcome=outcome))


def _record_services(members: Members, persons: list[Case], aigul_at_tendesh: Case,
                     kz_person: Case) -> None:
    worker = members.safe_home_worker
    safe_home = worker.membership.organisation
    ak_jol = members.ak_jol_worker.membership.organisation
    health = members.health_worker.membership.organisation
    p1, p2, p3, p4, p5, p6, p7, p8 = persons
    _service(worker, p1, "shelter", ak_jol, dt.date(2025, 2, 5), dt.date(2025, 3, 5),
             cost="2000", currency="KGS", nights=28)
    _service(members.tendesh_worker, aigul_at_tendesh, "shelter",
             members.tendesh_worker.membership.organisation, dt.date(2025, 4, 1),
             dt.date(2025, 4, 10), cost="1000", currency="KGS", nights=9)
    _service(worker, p2, "shelter", ak_jol, dt.date(2025, 2, 10), dt.date(2025, 3, 10),
             cost="3000", currency="KGS", nights=28)
    _service(worker, p3, "shelter", ak_jol, dt.date(2025, 1, 20), cost="1500", currency="KGS")
    _service(worker, p2, "medical", health, dt.date(2025, 3, 1), dt.date(2025, 3, 2),
             cost="100", currency="USD")
    _service(worker, p4, "medical", health, dt.date(2025, 3, 5), dt.date(2025, 3, 5),
             cost="300", currency="USD")
    _service(worker, p5, "medical", health, dt.date(2024, 11, 1), dt.date(2025, 1, 15),
             cost="999", currency="KGS")
    _service(worker, p6, "psychological", safe_home, dt.date(2024, 10, 1), dt.date(2024, 12, 31))
    _service(worker, p7, "psychological", safe_home, dt.date(2025, 4, 1), dt.date(2025, 4, 1),
             outcome=ServiceOutcome.DECLINED_BY_PERSON)
    _service(worker, p8, "shelter", ak_jol, dt.date(2025, 7, 5))
    _service(members.sana_worker, kz_person, "shelter", members.sana_worker.membership.organisation,
             dt.date(2025, 3, 1), cost="50000", currency="KZT")


def _planned(viewer: Viewer, case: Case, planned_on: dt.date) -> FollowUp:
    follow_up = follow_up_schedule(viewer=viewer, case=case, plan=FollowUpPlanInput(
        planned_on=timezone.localdate() + dt.timedelta(days=1)))
    FollowUp.objects.filter(pk=follow_up.pk).update(planned_on=planned_on)
    follow_up.refresh_from_db()
    return follow_up


def _contact(viewer: Viewer, case: Case, done_on: dt.date,
             follow_up: FollowUp | None = None) -> FollowUp:
    return follow_up_contact(viewer=viewer, case=case, follow_up=follow_up, contact=ContactInput(
        done_on=done_on, mode="phone", reached=True, well_being=WellBeing.STABLE, risk=1))


def _follow_up(members: Members, persons: list[Case]) -> None:
    worker = members.safe_home_worker
    p1, p2, p3, p4, p5 = persons[:5]
    _contact(worker, p1, dt.date(2025, 3, 10))
    _contact(worker, p2, dt.date(2025, 8, 1), _planned(worker, p2, dt.date(2025, 6, 15)))
    _planned(worker, p3, dt.date(2025, 5, 1))
    _planned(worker, p4, dt.date(2025, 7, 15))
    _contact(worker, p5, dt.date(2024, 12, 1))


def build_network(members: Members) -> Network:
    """Every person, referral, service and follow-up contact of the table above."""
    persons = [person(members.safe_home_worker, *row) for row in PERSONS]
    aigul_at_tendesh = person(members.tendesh_worker, "AIGUL", "MAMYTOVA", "Feminine", 1992)
    finished_run(members.coordinator, [found(persons[0], aigul_at_tendesh)])
    pair_decide(viewer=members.coordinator, pair=pair_of(persons[0], aigul_at_tendesh),
                verdict=Verdict.SAME)
    kz_person = person(members.sana_worker, "Айжан", "Сериккызы", "Feminine", 1992)
    referrals = _send_referrals(members, persons, kz_person)
    _record_services(members, persons, aigul_at_tendesh, kz_person)
    _follow_up(members, persons)
    return Network(persons=persons, aigul_at_tendesh=aigul_at_tendesh, kz_person=kz_person,
                   referrals=referrals)
