"""The linkage demo, loaded by `nrm demo` after the other apps': a few synthetic persons
registered more than once, the way it happens — by an NGO in Cyrillic, by another organisation
from a Latin passport, by the police by ear — and hard cases that are not one person (twin
sisters, a common name). Everything goes through the registry's services, acting as the demo's
case workers, so that identities are encrypted and every step audited. Then the reviewers
search for duplicates with the real engine (Kyrgyzstan's and Kazakhstan's coordinators, Umut's
supervisor), and Kyrgyzstan's coordinator decides two pairs: Aigul's Cyrillic and passport
registrations are one person, the twin sisters are not. The rest awaits review.

Idempotent: once the demo's registrations are recorded (one audit entry marks them), nothing is
added.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.management.base import OutputWrapper
from django.db import transaction

from nrm.accounts.viewer import Viewer
from nrm.core.audit import audit_record
from nrm.core.models import AuditAction, AuditEntry
from nrm.linkage.models import CandidatePair, Verdict
from nrm.linkage.runs import duplicate_search_perform
from nrm.linkage.services import linkage_run_start, pair_decide
from nrm.registry.choices import EntryPoint
from nrm.registry.demo.loader import demo_accounts
from nrm.registry.inputs import CaseInput, DocumentInput, IdentityInput, PersonInput
from nrm.registry.services import person_register

MARK = "nrm demo: linkage"


@dataclass(frozen=True)
class Registration:
    """One registration of a synthetic person, by one demo login."""

    registrar: str
    given: str
    family: str
    birth_date: str
    sex: str = "Feminine"
    patronymic: str = ""
    latin_name: str = ""
    citizenship: str = "KG"
    passport: str = ""
    entry_point: str = EntryPoint.NGO_OUTREACH


# Each tuple is one real (synthetic) person or one hard case, registered several times.
REGISTRATIONS: tuple[tuple[Registration, ...], ...] = (
    # One woman across three Kyrgyz organisations: Cyrillic, passport Latin, by ear.
    (Registration("caseworker.bishkek", "Айгуль", "Мамытова", "1994-06-12",
                  patronymic="Бакытовна"),
     Registration("caseworker.osh", "AIGUL", "MAMYTOVA", "1994-06-12",
                  latin_name="MAMYTOVA AIGUL", passport="AC1994061",
                  entry_point=EntryPoint.CONSULATE),
     Registration("officer.bishkek", "Aigul", "Mamytova", "1994-06",
                  entry_point=EntryPoint.POLICE)),
    # Registered twice by the same NGO: its supervisor reviews this pair with both identities.
    (Registration("caseworker.bishkek", "Бакыт", "Осмонов", "1988-11-02", sex="Masculine",
                  patronymic="Алмазович"),
     Registration("colleague.bishkek", "Бакыт", "Осмонов", "1988", sex="Masculine",
                  entry_point=EntryPoint.HOTLINE)),
    # A Kazakh woman with a patronymic surname, in Kazakhstan's NGO, shelter and inspectorate.
    (Registration("caseworker.almaty", "Айдана", "Қайратқызы", "1999-02-03", citizenship="KZ"),
     Registration("caseworker.astana", "AIDANA", "KAIRATKYZY", "1999-02-03",
                  latin_name="KAIRATKYZY AIDANA", citizenship="KZ", passport="N12345678"),
     Registration("inspector.turkistan", "Aidana", "Kairat kyzy", "1999", citizenship="KZ",
                  entry_point=EntryPoint.LABOUR_INSPECTION)),
    # Twin sisters: same family name and birth date, different persons.
    (Registration("caseworker.bishkek", "Асель", "Жумабаева", "2001-09-30"),
     Registration("caseworker.osh", "Асем", "Жумабаева", "2001-09-30")),
)


# Who searches for duplicates in the demo, and which pairs Kyrgyzstan's coordinator decides:
# (person, registration, registration) by their places in REGISTRATIONS.
REVIEWERS = ("coordinator.kg", "coordinator.kz", "supervisor.bishkek")
DECIDER = "coordinator.kg"
DECISIONS: tuple[tuple[int, int, int, str], ...] = (
    (0, 0, 1, Verdict.SAME),  # Aigul in Cyrillic and from her passport
    (3, 0, 1, Verdict.DIFFERENT),  # the twin sisters
)


def _register(viewers: dict[str, Viewer], registration: Registration) -> int:
    documents = ([DocumentInput(kind="passport", number=registration.passport,
                                country=registration.citizenship)]
                 if registration.passport else [])
    case = person_register(
        viewer=viewers[registration.registrar],
        person=PersonInput(sex=registration.sex, birth_year=int(registration.birth_date[:4]),
                           citizenships=[registration.citizenship], languages=["ru"]),
        identity=IdentityInput(given_name=registration.given, family_name=registration.family,
                               patronymic=registration.patronymic,
                               latin_name=registration.latin_name,
                               birth_date=registration.birth_date, documents=documents),
        case=CaseInput(entry_point=registration.entry_point,
                       exploitation_types=["ForcedLabour"]),
    )
    return case.person_id


def _search_and_decide(viewers: dict[str, Viewer], persons: list[list[int]]) -> int:
    """Each reviewer's duplicate search, run here rather than by the worker; then the demo's
    decisions on the pairs found. Returns how many pairs await review."""
    for username in REVIEWERS:
        viewer = viewers[username]
        duplicate_search_perform(viewer=viewer,
                                 run=linkage_run_start(viewer=viewer, in_background=False))
    for person, first, second, verdict in DECISIONS:
        left, right = sorted((persons[person][first], persons[person][second]))
        pair = CandidatePair.objects.filter(left_id=left, right_id=right,
                                            verdict=Verdict.PENDING).first()
        if pair is not None:  # the engine proposed it, as it should
            pair_decide(viewer=viewers[DECIDER], pair=pair, verdict=verdict)
    return CandidatePair.objects.pending().count()


@transaction.atomic
def demo_load(*, seed: int, stdout: OutputWrapper | None = None) -> int:
    """Register the demo's persons known more than once; a second run adds nothing. Returns
    how many registrations were added."""
    if AuditEntry.objects.filter(purpose__startswith=MARK).exists():
        return 0
    viewers = demo_accounts()
    persons = [[_register(viewers, registration) for registration in person]
               for person in REGISTRATIONS]
    added = sum(len(person) for person in persons)
    audit_record(actor=None, organisation_id=None, action=AuditAction.PERSON_REGISTERED,
                 purpose=f"{MARK}: {added} synthetic registrations of {len(REGISTRATIONS)} "
                         "persons and hard cases")
    pending = _search_and_decide(viewers, persons)
    if stdout is not None:
        stdout.write(f"Linkage demo: {added} registrations of persons known more than once; "
                     f"{pending} possible duplicates to review (as coordinator.kg, "
                     "coordinator.kz or supervisor.bishkek).")
    return added
