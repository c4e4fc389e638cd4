"""The referrals demo, loaded by `nrm demo` after the registry's: the Ak-Jol shelter (Kant) and
the Komek shelter (Astana) say whom they take in and how many places are free; three agreements
(Umut Bishkek with Ak-Jol, Umut with Komek across the border, and one between Jardam Osh and
Sana Sezim Almaty that has ended); and referrals from Umut in every status: completed, in
progress, accepted, declined, cancelled, expired, one waiting and overdue across the border, and
one waiting that a supervisor sent in an emergency without consent.

Everything goes through the services, acting as the demo's people; consents through the
registry's, by the person's case worker. A story spread over past weeks is then dated back (the
services stamp the present moment). Idempotent: when the demo's first agreement is recorded,
nothing is added.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.management.base import OutputWrapper
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from nrm.accounts.roles import Role
from nrm.accounts.viewer import Viewer
from nrm.directory.inputs import AgreementInput, OrganisationInput
from nrm.directory.models import Agreement, Organisation
from nrm.directory.services import (
    ORGANISATION_FIELDS,
    agreement_create,
    organisation_capacity_set,
    organisation_update,
)
from nrm.referrals import services
from nrm.referrals.models import Referral
from nrm.registry.choices import ConsentPurpose, Sex
from nrm.registry.demo.directory import DemoLogin
from nrm.registry.demo.loader import demo_accounts
from nrm.registry.inputs import ConsentInput
from nrm.registry.models import Case, Consent
from nrm.registry.services import consent_record

LOGINS = (
    DemoLogin("caseworker.akjol", "kg-shelter", Role.CASE_WORKER, "Saltanat", "Bekova",
              note="the shelter's inbox: referrals from Umut"),
    DemoLogin("supervisor.akjol", "kg-shelter", Role.SUPERVISOR, "Jyldyz", "Asanova",
              note="keeps Ak-Jol's free places up to date"),
)
FIRST_AGREEMENT = "Umut – Ak-Jol: referral of women and children to shelter"


@dataclass(frozen=True)
class ReferralsDemo:
    agreements: int
    referrals: int


def _shelters(viewers: dict[str, Viewer]) -> tuple[Organisation, Organisation]:
    """Ak-Jol and Komek: whom they take in (through the coordinators) and their free places
    (through their own supervisor and, for Komek, its case worker's organisation admin)."""
    ak_jol = viewers["caseworker.akjol"].membership.organisation
    komek = viewers["caseworker.astana"].membership.organisation
    for shelter, coordinator, eligibility in (
        (ak_jol, viewers["coordinator.kg"], {"sexes_accepted": ["Feminine"],
                                             "accompanied_children": True,
                                             "coverage_regions": ["KG-GB", "KG-T"]}),
        (komek, viewers["coordinator.kz"], {"sexes_accepted": ["Feminine"], "age_min": 18,
                                            "accompanied_children": True}),
    ):
        current = {field: getattr(shelter, field) for field in ORGANISATION_FIELDS}
        current["services"] = [service.code for service in shelter.services.all()]
        organisation_update(viewer=coordinator, organisation=shelter,
                            details=OrganisationInput(**{**current, **eligibility}))
    organisation_capacity_set(viewer=viewers["supervisor.akjol"], organisation=ak_jol,
                              places=24, free_places=5)
    return ak_jol, komek


def _agreements(viewers: dict[str, Viewer], umut: Organisation, ak_jol: Organisation,
                komek: Organisation, today: dt.date) -> int:
    coordinator = viewers["coordinator.kg"]
    jardam = viewers["caseworker.osh"].membership.organisation
    sana = viewers["caseworker.almaty"].membership.organisation
    for title, parties, extra in (
        (FIRST_AGREEMENT, [umut, ak_jol], {"covers_data_sharing": True,
                                           "valid_from": today - dt.timedelta(days=400)}),
        ("Umut – Komek: cross-border referral Kyrgyzstan–Kazakhstan", [umut, komek],
         {"covers_data_sharing": True, "valid_from": today - dt.timedelta(days=200),
          "valid_until": today + dt.timedelta(days=530),
          "services": ["shelter", "medical", "psychological", "psycho_social"],
          "reference": "KG-KZ/MoU/2025-14", "signed_document": "Umut archive, MoU folder 3"}),
        ("Jardam – Sana Sezim pilot on return of labour migrants", [jardam, sana],
         {"valid_from": today - dt.timedelta(days=900),
          "valid_until": today - dt.timedelta(days=170)}),
    ):
        agreement_create(viewer=coordinator, details=AgreementInput(
            title=title, party_ids=[party.pk for party in parties], **extra))
    return 3


def _cases(umut: Organisation, count: int) -> list[Case]:
    """Open cases of adult women of Umut, oldest first, that no referral concerns yet."""
    adult_born_by = timezone.localdate().year - 18
    return list(Case.objects.open().select_related("person").filter(
        organisation=umut, person__sex=Sex.FEMININE, person__birth_year__lte=adult_born_by,
    ).exclude(referrals__isnull=False).order_by("opened_on", "pk")[:count])


def _consent(worker: Viewer, case: Case, purpose: str, recipient: Organisation | None) -> None:
    latest = (Consent.objects.filter(person=case.person, purpose=purpose, recipient=recipient)
              .order_by("-recorded_at", "-pk").first())
    if latest is None or not latest.in_force:
        consent_record(viewer=worker, person=case.person, consent=ConsentInput(
            purpose=purpose, given=True, method="written",
            recipient_id=recipient.pk if recipient else None))


def _dated_back(referral: Referral, days: int) -> None:
    """Move a referral's story ``days`` into the past, its history with it."""
    shift = dt.timedelta(days=days)
    moved = {field: F(field) - shift for field in (
        "sent_at", "due_at", "expires_at", "responded_at", "started_at", "completed_at",
        "closed_at", "overdue_notified_at")}
    Referral.objects.filter(pk=referral.pk).update(**moved)
    referral.history.update(at=F("at") - shift)


def _story(viewers: dict[str, Viewer], cases: list[Case], ak_jol: Organisation,
           komek: Organisation) -> None:
    """Umut's referrals, each taken as far as its story goes and dated back."""
    worker, supervisor = viewers["caseworker.bishkek"], viewers["supervisor.bishkek"]
    shelter = viewers["caseworker.akjol"]
    umut = worker.membership.organisation
    profile = ["sex", "age_band", "languages"]
    identity = [*profile, "names", "phones", "citizenships"]
    told = [*identity, "exploitation", "means_of_control", "events"]

    def send(case: Case, receiver: Organisation, **details: object) -> Referral:
        _consent(worker, case, ConsentPurpose.SHARE_ORGANISATION, receiver)
        if receiver.country != umut.country:
            _consent(worker, case, ConsentPurpose.CROSS_BORDER, None)
        arguments: dict[str, object] = {"services": ["shelter"], "urgency": "urgent",
                                        "shared_fields": identity}
        arguments.update(details)
        return services.referral_send(viewer=worker, case=case, receiver=receiver,
                                      **arguments)  # type: ignore[arg-type]

    completed = send(cases[0], ak_jol, services=["shelter", "medical", "psychological"],
                     shared_fields=told, note="Returned from Moscow; needs a medical check.")
    services.referral_accept(viewer=shelter, referral=completed)
    services.referral_start(viewer=shelter, referral=completed)
    services.referral_complete(viewer=shelter, referral=completed,
                               note="Ten weeks of shelter, medical and psychological care.")
    _dated_back(completed, 75)

    working = send(cases[1], ak_jol, services=["shelter", "psychological",
                                               "vocational_training"],
                   shared_fields=told, accompanying_children=1,
                   note="With her daughter, 6. Interested in a sewing course.")
    services.referral_accept(viewer=shelter, referral=working)
    services.referral_start(viewer=shelter, referral=working)
    _dated_back(working, 21)

    accepted = send(cases[2], ak_jol, services=["shelter", "medical"], urgency="emergency")
    services.referral_accept(viewer=shelter, referral=accepted)
    _dated_back(accepted, 2)

    declined = send(cases[3], ak_jol, accompanying_children=3)
    services.referral_decline(viewer=shelter, referral=declined,
                              reason="No free room for a mother with three children this "
                                     "month; Komek in Astana or the crisis centre may help.")
    _dated_back(declined, 12)

    cancelled = send(cases[4], ak_jol, urgency="routine")
    services.referral_cancel(viewer=worker, referral=cancelled,
                             reason="She returned to her family in Naryn.")
    _dated_back(cancelled, 16)

    overdue = send(cases[5], komek, services=["shelter", "medical"], urgency="routine",
                   note="Speaks Kyrgyz and Russian.")
    _dated_back(overdue, 11)

    expired = send(cases[6], komek, urgency="urgent", shared_fields=profile)
    _dated_back(expired, 30)

    # A supervisor's emergency override: no consent to Ak-Jol on record, the minimum shared.
    unasked = next((case for case in cases[7:] if not Consent.objects.filter(
        person=case.person, purpose=ConsentPurpose.SHARE_ORGANISATION, recipient=ak_jol,
    ).exists()), None)
    if unasked is not None:
        services.referral_send(
            viewer=supervisor, case=unasked, receiver=ak_jol, services=["shelter"],
            urgency="emergency", shared_fields=profile,
            override_reason="Found at the bus station at night; cannot be asked until she is "
                            "safe.")


@transaction.atomic
def demo_load(*, seed: int, stdout: OutputWrapper | None = None) -> ReferralsDemo:
    """Record the demo's shelters, agreements and referrals once; a second run adds nothing.

    The referrals are the same for every seed: they are a story, not a sample."""
    del seed
    if Agreement.objects.filter(title=FIRST_AGREEMENT).exists():
        return ReferralsDemo(0, 0)
    viewers = demo_accounts(logins=LOGINS)
    umut = viewers["caseworker.bishkek"].membership.organisation
    today = timezone.localdate()
    ak_jol, komek = _shelters(viewers)
    agreements = _agreements(viewers, umut, ak_jol, komek, today)
    cases = _cases(umut, 12)
    if len(cases) < 8:
        return ReferralsDemo(agreements, 0)  # a demo loaded with too few persons
    _story(viewers, cases, ak_jol, komek)
    services.referrals_expire()
    count = Referral.objects.filter(from_organisation=umut).count()
    if stdout is not None:
        stdout.write(f"Referrals demo: {agreements} agreements, {count} referrals from Umut "
                     f"(logins: caseworker.akjol, supervisor.akjol).")
    return ReferralsDemo(agreements, count)
